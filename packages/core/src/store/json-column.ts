/** JSON columns are text on every backend. */
export const toJsonColumn = (value: unknown): string => JSON.stringify(value ?? null);

export function fromJsonColumn<T>(text: string | null | undefined): T | undefined {
  if (text === null || text === undefined) return undefined;
  return JSON.parse(text) as T;
}

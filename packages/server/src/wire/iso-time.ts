/**
 * An epoch-ms time as the API writes it: ISO 8601 in UTC (`2026-11-30T09:14:53.000Z`).
 *
 * @example
 * isoTime(0); // '1970-01-01T00:00:00.000Z'
 */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `isoTime`, with null (or undefined) written as null. */
export function isoTimeOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : isoTime(ms);
}

/**
 * A short description of a value for error messages: `null`, `a string`, `an array`, `a function`.
 *
 * @example
 * `features is ${kindOf(value)}, not an array`; // 'features is a string, not an array'
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

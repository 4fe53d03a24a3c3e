/**
 * A reported percent made safe: clamped to 0..100; `undefined` for NaN and ±Infinity (and anything
 * not a number), which callers ignore.
 *
 * @example
 * clampPercent(140); // 100
 * clampPercent(Number.NaN); // undefined
 */
export function clampPercent(percent: number): number | undefined {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return undefined;
  return Math.max(0, Math.min(100, percent));
}

// The few NumPy functions diffusers' set_timesteps uses, in float64 with NumPy's own formulas, so that
// timesteps round the same way (NumPy 1.24's linspace, arange, round and interp).

/**
 * `np.linspace(start, stop, num, endpoint)`: `i · step + start`, the last value exactly `stop` with an endpoint;
 * one value (`start`) when `num` is 1 with an endpoint.
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const divisions = endpoint ? num - 1 : num;
  const step = (stop - start) / divisions;
  const values = Array.from({ length: num }, (_, index) => (divisions > 0 ? index * step + start : start));
  if (endpoint && num > 1) values[num - 1] = stop;
  return values;
}

/**
 * `np.arange(start, stop, step)` for a float step: `ceil((stop − start) / step)` values, `start + i · delta` where
 * delta is `(start + step) − start` (NumPy fills the array from its first two values).
 */
export function arange(start: number, stop: number, step: number): number[] {
  const length = Math.max(Math.ceil((stop - start) / step), 0);
  const delta = start + step - start;
  return Array.from({ length }, (_, index) => (index === 0 ? start : index === 1 ? start + step : start + index * delta));
}

/** `np.round(x)`: to the nearest integer, halves to the even one. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return fraction < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `np.interp(x, np.arange(len(values)), values)`: linear interpolation of a table sampled at 0, 1, 2, …;
 * clamped to the first and last values outside it.
 */
export function interpolate(x: number, values: ArrayLike<number>): number {
  const last = values.length - 1;
  if (x <= 0) return values[0];
  if (x >= last) return values[last];
  const index = Math.floor(x);
  if (index === x) return values[index];
  const slope = values[index + 1] - values[index];
  return slope * (x - index) + values[index];
}

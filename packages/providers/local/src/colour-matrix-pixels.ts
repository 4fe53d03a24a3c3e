/**
 * Applies an affine colour transform to interleaved RGB(A) pixels, 8-bit (`Uint8Array`) or 16-bit
 * (`Uint16Array`): rgb' = matrix (3×3, row-major) × rgb + offsets, with offsets in 8-bit units (scaled
 * to the depth), then blended with the original by `strength` (0–1). Alpha (a 4th channel) is kept.
 *
 * Self-contained on purpose (no imports, no closures): it is also shipped to worker threads as source.
 */
export function colourMatrixPixels(pixels: Uint8Array | Uint16Array, channels: number, matrix: number[], offsets: number[], strength: number): Uint8Array | Uint16Array {
  const white = pixels instanceof Uint16Array ? 65535 : 255;
  const unit = white / 255;
  const result = pixels instanceof Uint16Array ? new Uint16Array(pixels.length) : new Uint8Array(pixels.length);
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = matrix as [number, number, number, number, number, number, number, number, number];
  const o0 = offsets[0]! * unit, o1 = offsets[1]! * unit, o2 = offsets[2]! * unit;
  const keep = 1 - strength;
  const clamp = (value: number) => (value <= 0 ? 0 : value >= white ? white : value + 0.5);
  for (let index = 0; index < pixels.length; index += channels) {
    const red = pixels[index]!, green = pixels[index + 1]!, blue = pixels[index + 2]!;
    result[index] = clamp(red * keep + (m0 * red + m1 * green + m2 * blue + o0) * strength);
    result[index + 1] = clamp(green * keep + (m3 * red + m4 * green + m5 * blue + o1) * strength);
    result[index + 2] = clamp(blue * keep + (m6 * red + m7 * green + m8 * blue + o2) * strength);
    for (let channel = 3; channel < channels; channel += 1) result[index + channel] = pixels[index + channel]!;
  }
  return result;
}

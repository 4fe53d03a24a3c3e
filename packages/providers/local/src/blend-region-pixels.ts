/**
 * Puts generated pixels into an image inside a region: each pixel of the region becomes
 * `weight × generated + (1 − weight) × original` (weight 0..255), so a weight of 0 keeps the original
 * sample for sample. `pixels` are interleaved, 8- or 16-bit, 3 (RGB) or 4 (RGBA) channels; `generated`
 * is 8-bit RGB of the region's size (scaled to 16 bits for 16-bit images); alpha is kept. Pixels outside
 * the region are returned untouched.
 *
 * Self-contained on purpose (no imports, no closures): it is also shipped to worker threads as source.
 */
export function blendRegionPixels(
  pixels: Uint8Array | Uint16Array,
  width: number,
  channels: number,
  generated: Uint8Array,
  weights: Uint8Array,
  left: number,
  top: number,
  regionWidth: number,
  regionHeight: number,
): Uint8Array | Uint16Array {
  const result = pixels instanceof Uint16Array ? Uint16Array.from(pixels) : Uint8Array.from(pixels);
  const scale = pixels instanceof Uint16Array ? 257 : 1;
  for (let y = 0; y < regionHeight; y += 1) {
    for (let x = 0; x < regionWidth; x += 1) {
      const source = y * regionWidth + x;
      const weight = weights[source]!;
      if (weight === 0) continue;
      const target = ((top + y) * width + left + x) * channels;
      for (let channel = 0; channel < 3; channel += 1) {
        const fresh = generated[source * 3 + channel]! * scale;
        const value = weight === 255 ? fresh : (weight * fresh + (255 - weight) * result[target + channel]!) / 255;
        result[target + channel] = Math.round(value);
      }
    }
  }
  return result;
}

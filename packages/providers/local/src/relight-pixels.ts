/**
 * Directional relighting of interleaved RGB(A) pixels, 8-bit (`Uint8Array`) or 16-bit (`Uint16Array`): a light from `direction` (unit vector
 * pointing from the image centre toward the light) brightens the near side and darkens the far side
 * with a smooth falloff; `warmth` tints the light (positive warm, negative cool) where it falls.
 *
 * Self-contained on purpose (no imports, no closures): it is also shipped to worker threads as source.
 */
export function relightPixels(
  pixels: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: number,
  directionX: number,
  directionY: number,
  intensity: number,
  warmth: number,
): Uint8Array | Uint16Array {
  const white = pixels instanceof Uint16Array ? 65535 : 255;
  const result = pixels instanceof Uint16Array ? new Uint16Array(pixels.length) : new Uint8Array(pixels.length);
  const length = Math.hypot(directionX, directionY) || 1;
  const dx = directionX / length;
  const dy = directionY / length;
  // Projection of the corners onto the direction gives the range to normalise into [0, 1].
  const extent = (Math.abs(dx) * (width - 1) + Math.abs(dy) * (height - 1)) / 2 || 1;
  const centreX = (width - 1) / 2;
  const centreY = (height - 1) / 2;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // light: 1 on the lit edge, 0 on the far edge, smooth in between.
      const along = ((x - centreX) * dx + (y - centreY) * dy) / extent;
      const t = Math.min(1, Math.max(0, (along + 1) / 2));
      const light = t * t * (3 - 2 * t);
      const gain = 1 + intensity * (light * 2 - 1) * 0.75;
      const tint = warmth * light * intensity * 0.25;
      const index = (y * width + x) * channels;
      const channelGain = [gain * (1 + tint), gain * (1 + tint * 0.35), gain * (1 - tint)];
      for (let channel = 0; channel < channels; channel += 1) {
        const value = pixels[index + channel]!;
        if (channel >= 3) {
          result[index + channel] = value;
          continue;
        }
        const scaled = value * channelGain[channel]!;
        result[index + channel] = scaled <= 0 ? 0 : scaled >= white ? white : scaled + 0.5;
      }
    }
  }
  return result;
}

/**
 * How much fine texture a filled hole has compared with its surroundings: the variance of the
 * Laplacian (4-neighbour, on the mean of the first three channels) over the hole's pixels divided by
 * that over a ring of `ring` pixels around it (Chebyshev distance, outside the hole). A smooth fill
 * scores near 0; a real photo 0.1–1.7 (issue 18). Pixels are interleaved 8- or 16-bit samples, `mask`
 * one byte per pixel (> 0 in the hole).
 */
export function textureRatio(pixels: Uint8Array | Uint16Array, mask: Uint8Array, width: number, height: number, channels: number, ring = 12): number {
  const near = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!mask[y * width + x]) continue;
      for (let ny = Math.max(0, y - ring); ny <= Math.min(height - 1, y + ring); ny += 1) near.fill(1, ny * width + Math.max(0, x - ring), ny * width + Math.min(width, x + ring + 1));
    }
  }
  const grey = (index: number) => (pixels[index * channels]! + pixels[index * channels + 1]! + pixels[index * channels + 2]!) / 3;
  const sums = { hole: [0, 0, 0], ring: [0, 0, 0] };
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const index = y * width + x;
      const where = mask[index] ? sums.hole : near[index] ? sums.ring : undefined;
      if (!where) continue;
      const laplacian = 4 * grey(index) - grey(index - 1) - grey(index + 1) - grey(index - width) - grey(index + width);
      where[0]! += 1;
      where[1]! += laplacian;
      where[2]! += laplacian * laplacian;
    }
  }
  const variance = ([count, sum, squares]: number[]) => squares! / count! - (sum! / count!) ** 2;
  return variance(sums.hole) / variance(sums.ring);
}

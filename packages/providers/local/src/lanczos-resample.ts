/**
 * Separable Lanczos-3 enlargement of interleaved 8-bit pixels by an integer factor, with
 * centre-aligned sampling: output pixel `o` sits at input coordinate (o + 0.5) / scale − 0.5.
 * libvips enlarges with a bicubic affine whatever kernel is asked for, so this does the real thing.
 *
 * Self-contained on purpose (no imports, no closures): it is also shipped to worker threads as source.
 */
export function lanczosUpscale(pixels: Uint8Array, width: number, height: number, channels: number, scale: number): Uint8Array {
  const span = 6;
  const kernel = (x: number) => {
    if (x === 0) return 1;
    if (x <= -3 || x >= 3) return 0;
    const px = Math.PI * x;
    return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
  };
  // Weights repeat with period `scale`: one normalised set of six per phase.
  const offsets = new Int32Array(scale);
  const weights = new Float32Array(scale * span);
  for (let phase = 0; phase < scale; phase += 1) {
    const centre = (phase + 0.5) / scale - 0.5;
    const first = Math.floor(centre) - 2;
    offsets[phase] = first;
    let sum = 0;
    for (let tap = 0; tap < span; tap += 1) sum += weights[phase * span + tap] = kernel(centre - (first + tap));
    for (let tap = 0; tap < span; tap += 1) weights[phase * span + tap]! /= sum;
  }
  const clamp = (index: number, size: number) => (index < 0 ? 0 : index >= size ? size - 1 : index);
  const outWidth = width * scale;
  const outHeight = height * scale;
  const rowLength = outWidth * channels;

  // Horizontal pass: every input row to outWidth, as floats.
  const horizontal = new Float32Array(height * rowLength);
  const source = new Int32Array(outWidth * span);
  for (let x = 0; x < outWidth; x += 1) {
    const base = Math.floor(x / scale) + offsets[x % scale]!;
    for (let tap = 0; tap < span; tap += 1) source[x * span + tap] = clamp(base + tap, width) * channels;
  }
  for (let y = 0; y < height; y += 1) {
    const input = y * width * channels;
    let output = y * rowLength;
    for (let x = 0; x < outWidth; x += 1) {
      const w = (x % scale) * span;
      const w0 = weights[w]!, w1 = weights[w + 1]!, w2 = weights[w + 2]!, w3 = weights[w + 3]!, w4 = weights[w + 4]!, w5 = weights[w + 5]!;
      const s = x * span;
      const s0 = input + source[s]!, s1 = input + source[s + 1]!, s2 = input + source[s + 2]!;
      const s3 = input + source[s + 3]!, s4 = input + source[s + 4]!, s5 = input + source[s + 5]!;
      for (let channel = 0; channel < channels; channel += 1) {
        horizontal[output++] =
          pixels[s0 + channel]! * w0 + pixels[s1 + channel]! * w1 + pixels[s2 + channel]! * w2 +
          pixels[s3 + channel]! * w3 + pixels[s4 + channel]! * w4 + pixels[s5 + channel]! * w5;
      }
    }
  }

  // Vertical pass: each output row is a weighted sum of six horizontal rows.
  const result = new Uint8Array(outHeight * rowLength);
  for (let y = 0; y < outHeight; y += 1) {
    const base = Math.floor(y / scale) + offsets[y % scale]!;
    const w = (y % scale) * span;
    const w0 = weights[w]!, w1 = weights[w + 1]!, w2 = weights[w + 2]!, w3 = weights[w + 3]!, w4 = weights[w + 4]!, w5 = weights[w + 5]!;
    const r0 = clamp(base, height) * rowLength, r1 = clamp(base + 1, height) * rowLength, r2 = clamp(base + 2, height) * rowLength;
    const r3 = clamp(base + 3, height) * rowLength, r4 = clamp(base + 4, height) * rowLength, r5 = clamp(base + 5, height) * rowLength;
    const output = y * rowLength;
    for (let index = 0; index < rowLength; index += 1) {
      const sum =
        horizontal[r0 + index]! * w0 + horizontal[r1 + index]! * w1 + horizontal[r2 + index]! * w2 +
        horizontal[r3 + index]! * w3 + horizontal[r4 + index]! * w4 + horizontal[r5 + index]! * w5;
      result[output + index] = sum <= 0 ? 0 : sum >= 255 ? 255 : sum + 0.5;
    }
  }
  return result;
}

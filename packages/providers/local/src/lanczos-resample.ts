/**
 * Separable Lanczos-3 enlargement of interleaved pixels by an integer factor, with centre-aligned
 * sampling: output pixel `o` sits at input coordinate (o + 0.5) / scale − 0.5. 8-bit samples
 * (`Uint8Array`) give 8-bit output, 16-bit (`Uint16Array`) give 16-bit. With an alpha channel (2 or 4
 * channels, alpha last) colours are resampled premultiplied, so hidden colours under transparent
 * pixels never bleed into visible edges. libvips enlarges with a bicubic affine whatever kernel is
 * asked for, so this does the real thing.
 *
 * Self-contained on purpose (no imports, no closures): it is also shipped to worker threads as source.
 */
export function lanczosUpscale(pixels: Uint8Array | Uint16Array, width: number, height: number, channels: number, scale: number): Uint8Array | Uint16Array {
  const span = 6;
  const white = pixels instanceof Uint16Array ? 65535 : 255;
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  let source: Uint8Array | Uint16Array | Float32Array = pixels;
  if (alpha >= 0) {
    const premultiplied = new Float32Array(pixels.length);
    for (let index = 0; index < pixels.length; index += channels) {
      const coverage = pixels[index + alpha]! / white;
      for (let channel = 0; channel < alpha; channel += 1) premultiplied[index + channel] = pixels[index + channel]! * coverage;
      premultiplied[index + alpha] = pixels[index + alpha]!;
    }
    source = premultiplied;
  }
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
  const taps = new Int32Array(outWidth * span);
  for (let x = 0; x < outWidth; x += 1) {
    const base = Math.floor(x / scale) + offsets[x % scale]!;
    for (let tap = 0; tap < span; tap += 1) taps[x * span + tap] = clamp(base + tap, width) * channels;
  }
  for (let y = 0; y < height; y += 1) {
    const input = y * width * channels;
    let output = y * rowLength;
    for (let x = 0; x < outWidth; x += 1) {
      const w = (x % scale) * span;
      const w0 = weights[w]!, w1 = weights[w + 1]!, w2 = weights[w + 2]!, w3 = weights[w + 3]!, w4 = weights[w + 4]!, w5 = weights[w + 5]!;
      const s = x * span;
      const s0 = input + taps[s]!, s1 = input + taps[s + 1]!, s2 = input + taps[s + 2]!;
      const s3 = input + taps[s + 3]!, s4 = input + taps[s + 4]!, s5 = input + taps[s + 5]!;
      for (let channel = 0; channel < channels; channel += 1) {
        horizontal[output++] =
          source[s0 + channel]! * w0 + source[s1 + channel]! * w1 + source[s2 + channel]! * w2 +
          source[s3 + channel]! * w3 + source[s4 + channel]! * w4 + source[s5 + channel]! * w5;
      }
    }
  }

  // Vertical pass: each output row is a weighted sum of six horizontal rows.
  const result = pixels instanceof Uint16Array ? new Uint16Array(outHeight * rowLength) : new Uint8Array(outHeight * rowLength);
  const row = new Float32Array(rowLength);
  for (let y = 0; y < outHeight; y += 1) {
    const base = Math.floor(y / scale) + offsets[y % scale]!;
    const w = (y % scale) * span;
    const w0 = weights[w]!, w1 = weights[w + 1]!, w2 = weights[w + 2]!, w3 = weights[w + 3]!, w4 = weights[w + 4]!, w5 = weights[w + 5]!;
    const r0 = clamp(base, height) * rowLength, r1 = clamp(base + 1, height) * rowLength, r2 = clamp(base + 2, height) * rowLength;
    const r3 = clamp(base + 3, height) * rowLength, r4 = clamp(base + 4, height) * rowLength, r5 = clamp(base + 5, height) * rowLength;
    const output = y * rowLength;
    for (let index = 0; index < rowLength; index += 1) {
      row[index] =
        horizontal[r0 + index]! * w0 + horizontal[r1 + index]! * w1 + horizontal[r2 + index]! * w2 +
        horizontal[r3 + index]! * w3 + horizontal[r4 + index]! * w4 + horizontal[r5 + index]! * w5;
    }
    if (alpha >= 0) {
      // Back from premultiplied: colour = premultiplied colour ÷ coverage (nothing to show where alpha is 0).
      for (let index = 0; index < rowLength; index += channels) {
        const value = row[index + alpha]!;
        const coverage = value <= 0 ? 0 : value >= white ? 1 : value / white;
        for (let channel = 0; channel < alpha; channel += 1) row[index + channel] = coverage > 0 ? row[index + channel]! / coverage : 0;
      }
    }
    for (let index = 0; index < rowLength; index += 1) {
      const value = row[index]!;
      result[output + index] = value <= 0 ? 0 : value >= white ? white : value + 0.5;
    }
  }
  return result;
}

/**
 * Fills the masked pixels (mask value > 0) of interleaved 8- or 16-bit pixels by harmonic (diffusion)
 * inpainting, solved coarse to fine: each level starts from the upsampled solution of the level
 * below and relaxes with Gauss–Seidel, so large holes fill smoothly from their borders in few sweeps.
 * Unmasked pixels are returned untouched.
 *
 * Self-contained on purpose (no imports, no closures): it is also shipped to worker threads as source.
 */
export function inpaintPixels(pixels: Uint8Array | Uint16Array, mask: Uint8Array, width: number, height: number, channels: number): Uint8Array | Uint16Array {
  const white = pixels instanceof Uint16Array ? 65535 : 255;
  const solve = (values: Float32Array, known: Uint8Array, w: number, h: number, sweeps: number) => {
    const holes: number[] = [];
    for (let index = 0; index < w * h; index += 1) if (!known[index]) holes.push(index);
    for (let sweep = 0; sweep < sweeps; sweep += 1) {
      for (let order = 0; order < holes.length; order += 1) {
        const index = sweep % 2 === 0 ? holes[order]! : holes[holes.length - 1 - order]!;
        const x = index % w;
        const y = (index - x) / w;
        for (let channel = 0; channel < channels; channel += 1) {
          let sum = 0;
          let count = 0;
          if (x > 0) { sum += values[(index - 1) * channels + channel]!; count += 1; }
          if (x < w - 1) { sum += values[(index + 1) * channels + channel]!; count += 1; }
          if (y > 0) { sum += values[(index - w) * channels + channel]!; count += 1; }
          if (y < h - 1) { sum += values[(index + w) * channels + channel]!; count += 1; }
          values[index * channels + channel] = sum / count;
        }
      }
    }
  };
  const level = (values: Float32Array, known: Uint8Array, w: number, h: number): Float32Array => {
    let holes = 0;
    for (let index = 0; index < w * h; index += 1) if (!known[index]) holes += 1;
    if (holes === 0) return values;
    if (w > 8 && h > 8) {
      // Downsample by 2: a coarse pixel is known if any of its fine pixels is; its value is their mean.
      const cw = Math.ceil(w / 2);
      const ch = Math.ceil(h / 2);
      const coarse = new Float32Array(cw * ch * channels);
      const coarseKnown = new Uint8Array(cw * ch);
      const counts = new Uint16Array(cw * ch);
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          if (!known[y * w + x]) continue;
          const target = (y >> 1) * cw + (x >> 1);
          counts[target]! += 1;
          coarseKnown[target] = 1;
          for (let channel = 0; channel < channels; channel += 1) coarse[target * channels + channel]! += values[(y * w + x) * channels + channel]!;
        }
      }
      for (let index = 0; index < cw * ch; index += 1) {
        if (counts[index]) for (let channel = 0; channel < channels; channel += 1) coarse[index * channels + channel]! /= counts[index]!;
      }
      const solved = level(coarse, coarseKnown, cw, ch);
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          if (known[y * w + x]) continue;
          const source = ((y >> 1) * cw + (x >> 1)) * channels;
          for (let channel = 0; channel < channels; channel += 1) values[(y * w + x) * channels + channel] = solved[source + channel]!;
        }
      }
      solve(values, known, w, h, 12);
    } else {
      let count = 0;
      const means = new Float32Array(channels);
      for (let index = 0; index < w * h; index += 1) {
        if (!known[index]) continue;
        count += 1;
        for (let channel = 0; channel < channels; channel += 1) means[channel]! += values[index * channels + channel]!;
      }
      for (let index = 0; index < w * h; index += 1) {
        if (known[index]) continue;
        for (let channel = 0; channel < channels; channel += 1) values[index * channels + channel] = count ? means[channel]! / count : white / 2;
      }
      solve(values, known, w, h, 200);
    }
    return values;
  };
  const known = new Uint8Array(width * height);
  for (let index = 0; index < width * height; index += 1) known[index] = mask[index] ? 0 : 1;
  const solved = level(Float32Array.from(pixels), known, width, height);
  const result = pixels instanceof Uint16Array ? Uint16Array.from(pixels) : Uint8Array.from(pixels);
  for (let index = 0; index < width * height; index += 1) {
    if (known[index]) continue;
    for (let channel = 0; channel < channels; channel += 1) {
      const value = solved[index * channels + channel]!;
      result[index * channels + channel] = value <= 0 ? 0 : value >= white ? white : value + 0.5;
    }
  }
  return result;
}

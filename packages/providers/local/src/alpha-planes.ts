/**
 * Splitting an image's alpha plane from its colour channels and joining them again: plain loops with
 * no image library, so a model's worker program can carry them as source (see `onnx-worker-source.ts`)
 * without loading sharp in the main thread.
 */
import type { RawImage, Samples } from './raw-image.js';

/** The colour channels (RGB) and, for RGBA, the alpha plane, split apart. */
export function splitAlpha(raw: RawImage): { colour: RawImage; alpha?: Samples } {
  if (raw.channels !== 4) return { colour: raw };
  const count = raw.width * raw.height;
  const Samples = raw.pixels.constructor as new (length: number) => Samples;
  const colour = new Samples(count * 3);
  const alpha = new Samples(count);
  for (let pixel = 0; pixel < count; pixel += 1) {
    colour[pixel * 3] = raw.pixels[pixel * 4]!;
    colour[pixel * 3 + 1] = raw.pixels[pixel * 4 + 1]!;
    colour[pixel * 3 + 2] = raw.pixels[pixel * 4 + 2]!;
    alpha[pixel] = raw.pixels[pixel * 4 + 3]!;
  }
  return { colour: { ...raw, pixels: colour, channels: 3 }, alpha };
}

/** RGB pixels and an alpha plane of the same size and depth as one RGBA image. */
export function joinAlpha(colour: RawImage, alpha: Samples): RawImage {
  const count = colour.width * colour.height;
  const Samples = colour.pixels.constructor as new (length: number) => Samples;
  const pixels = new Samples(count * 4);
  for (let pixel = 0; pixel < count; pixel += 1) {
    pixels[pixel * 4] = colour.pixels[pixel * 3]!;
    pixels[pixel * 4 + 1] = colour.pixels[pixel * 3 + 1]!;
    pixels[pixel * 4 + 2] = colour.pixels[pixel * 3 + 2]!;
    pixels[pixel * 4 + 3] = alpha[pixel]!;
  }
  return { ...colour, pixels, channels: 4 };
}

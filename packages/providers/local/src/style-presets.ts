import sharp, { type Sharp } from 'sharp';
import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw, rawInput, readRaw, transformColour, whiteOf } from './raw-image.js';

/** An affine colour transform: rgb' = matrix × rgb + offset (offsets in 8-bit units). */
interface ColourTransform {
  matrix: number[];
  offset: number[];
}

/** Rec. 709 luma weights. */
const luma = [0.2126, 0.7152, 0.0722];
const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const multiply = (a: number[], b: number[]) => Array.from({ length: 9 }, (_, index) => {
  const row = Math.floor(index / 3);
  const column = index % 3;
  return a[row * 3]! * b[column]! + a[row * 3 + 1]! * b[3 + column]! + a[row * 3 + 2]! * b[6 + column]!;
});
const diagonal = (values: number[]) => [values[0]!, 0, 0, 0, values[1]!, 0, 0, 0, values[2]!];
/** Saturation around luma: 0 = grey, 1 = unchanged, > 1 more colourful. */
const saturation = (amount: number) => identity.map((value, index) => amount * value + (1 - amount) * luma[index % 3]!);

/** Classic looks a person recognises: colour transforms exact at any bit depth, and a pencil sketch. */
export const stylePresets: Record<string, { description: string; colour?: ColourTransform }> = {
  noir: { description: 'High-contrast black and white', colour: { matrix: multiply(diagonal([1.35, 1.35, 1.35]), saturation(0)), offset: [-38, -38, -38] } },
  sepia: { description: 'Warm brown-toned antique print', colour: { matrix: [0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131], offset: [0, 0, 0] } },
  'vintage-film': { description: 'Faded colours, lifted blacks, warm cast', colour: { matrix: multiply(diagonal([0.88, 0.85, 0.78]), saturation(0.7)), offset: [28, 24, 30] } },
  'cool-cinematic': {
    description: 'Teal shadows and crisp contrast',
    colour: { matrix: multiply(diagonal([0.92 * 1.12, 1.02 * 1.12, 1.12 * 1.12]), saturation(0.9)), offset: [-6 * 1.12 - 12, 4 * 1.12 - 12, 14 * 1.12 - 12] },
  },
  'warm-golden-hour': { description: 'Golden, glowing, saturated warmth', colour: { matrix: multiply(diagonal([1.12 * 1.04, 1.02 * 1.04, 0.84 * 1.04]), saturation(1.18)), offset: [8, 4, -6] } },
  'pencil-sketch': { description: 'Graphite pencil drawing' },
};

/**
 * Applies a preset to the colour channels at the image's own bit depth, keeps the alpha as it was,
 * and blends with the original by `strength` (0–1). Colour presets run on the pixel pool.
 */
export async function transferStyle(
  request: CapabilityRequest<'style-transfer'>,
  options: { maxPixels: number; pool: PixelPool; signal: AbortSignal },
): Promise<CapabilityResult<'style-transfer'>> {
  const preset = stylePresets[request.style];
  if (!preset) throw new DarkroomError({ code: 'invalid_input', message: `Unknown style ${JSON.stringify(request.style)}; presets: ${Object.keys(stylePresets).join(', ')}` });
  const strength = request.strength ?? 1;
  const raw = await decodeRaw(request.image, options.maxPixels);
  const styled = preset.colour
    ? { ...raw, pixels: await options.pool.run('colourMatrixPixels', [raw.pixels, raw.channels, preset.colour.matrix, preset.colour.offset, strength], options.signal) }
    : await transformColour(raw, async (rgb) => pencilSketch(rgb, raw.width, raw.height, strength, whiteOf(raw.pixels) > 255));
  const image = await encodeRaw(styled, request.image, request);
  return { images: [image], metadata: { style: request.style, strength, method: 'preset' } };
}

/** Colour dodge of the grey image by its blurred negative (grey ÷ (1 − blurred negative)), blended by strength. */
async function pencilSketch(rgb: Sharp, width: number, height: number, strength: number, deep: boolean): Promise<Sharp> {
  const grey = await rgb.clone().grayscale().raw({ depth: 'uchar' }).toBuffer();
  const plane = { raw: { width, height, channels: 1 as const } };
  const inverted = await sharp(grey, plane).negate().blur(Math.max(2, Math.round(Math.min(width, height) / 120))).raw().toBuffer();
  const sketch = sharp(grey, plane).composite([{ input: inverted, raw: plane.raw, blend: 'colour-dodge' }]);
  if (strength >= 1) return sketch;
  const original = await readRaw(rgb, deep);
  const drawn = await readRaw(sketch, deep);
  for (let index = 0; index < drawn.pixels.length; index += 1) drawn.pixels[index] = Math.round(original.pixels[index]! * (1 - strength) + drawn.pixels[index]! * strength);
  return sharp(drawn.pixels, rawInput(drawn));
}

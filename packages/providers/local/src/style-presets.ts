import sharp, { type Sharp } from 'sharp';
import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw, rawInput, readRaw, transformColour, whiteOf } from './raw-image.js';
import { stylePresets } from './style-preset-table.js';

export { stylePresets };

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

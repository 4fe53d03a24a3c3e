import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw } from './raw-image.js';
import { readInpaintMask } from './read-inpaint-mask.js';

/**
 * Object removal: the mask's white (or opaque) pixels, grown by a few pixels to cover soft edges
 * (`readInpaintMask`), are filled by coarse-to-fine diffusion from their surroundings. Other pixels
 * stay as they were.
 */
export async function inpaintImage(request: CapabilityRequest<'inpaint'>, options: { pool: PixelPool; maxPixels: number; signal: AbortSignal }): Promise<CapabilityResult<'inpaint'>> {
  const { image, mask } = request;
  const { grown: maskPixels, covered } = await readInpaintMask(image, mask, options.maxPixels);
  const raw = await decodeRaw(image, options.maxPixels);
  if (covered === maskPixels.length) throw new DarkroomError({ code: 'invalid_input', message: 'The mask covers the whole image: nothing is left to fill from' });
  const pixels = await options.pool.run('inpaintPixels', [raw.pixels, maskPixels, raw.width, raw.height, raw.channels], options.signal);
  const result = await encodeRaw({ ...raw, pixels }, image, request);
  return { images: [result], metadata: { method: 'multiscale diffusion', masked_pixels: covered } };
}

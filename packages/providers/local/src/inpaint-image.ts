import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw } from './raw-image.js';
import { readInpaintMask } from './read-inpaint-mask.js';

/**
 * Object removal without a generative model: the mask's white (or opaque) pixels, grown by a few
 * pixels to cover soft edges (`readInpaintMask`), are filled from their surroundings on a pixel
 * worker; other pixels stay as they were, at the image's bit depth, alpha filled like colour.
 *
 * `method: 'patch'` (the default) copies texture from the photo by PatchMatch completion
 * (`patchMatchPixels`), deterministic for a `seed` (0 when none is sent, reported in the result);
 * `method: 'diffusion'` blends the hole smooth (`inpaintPixels`), the better choice for thin scratches.
 *
 * @throws DarkroomError `invalid_input` (400) when the mask covers the whole image.
 */
export async function inpaintImage(request: CapabilityRequest<'inpaint'>, options: { pool: PixelPool; maxPixels: number; signal: AbortSignal }): Promise<CapabilityResult<'inpaint'>> {
  const { image, mask } = request;
  const { grown: maskPixels, covered } = await readInpaintMask(image, mask, options.maxPixels);
  const raw = await decodeRaw(image, options.maxPixels);
  if (covered === maskPixels.length) throw new DarkroomError({ code: 'invalid_input', message: 'The mask covers the whole image: nothing is left to fill from' });
  if (request.method === 'diffusion') {
    const pixels = await options.pool.run('inpaintPixels', [raw.pixels, maskPixels, raw.width, raw.height, raw.channels], options.signal);
    const result = await encodeRaw({ ...raw, pixels }, image, request);
    return { images: [result], metadata: { method: 'multiscale diffusion', masked_pixels: covered } };
  }
  const seed = request.seed ?? 0;
  const pixels = await options.pool.run('patchMatchPixels', [raw.pixels, maskPixels, raw.width, raw.height, raw.channels, seed], options.signal);
  const result = await encodeRaw({ ...raw, pixels }, image, request);
  return { images: [result], seed, metadata: { method: 'patchmatch completion', masked_pixels: covered } };
}

import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw, openImage } from './raw-image.js';
import { toImageError } from './sharp-error.js';

/**
 * Object removal: the mask's white (or opaque) pixels, grown by a few pixels to cover soft edges,
 * are filled by coarse-to-fine diffusion from their surroundings. Other pixels stay as they were.
 */
export async function inpaintImage(request: CapabilityRequest<'inpaint'>, options: { pool: PixelPool; maxPixels: number; signal: AbortSignal }): Promise<CapabilityResult<'inpaint'>> {
  const { image, mask } = request;
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new DarkroomError({ code: 'invalid_input', message: `The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; they must be the same size` });
  }
  const raw = await decodeRaw(image, options.maxPixels);
  let maskPixels: Uint8Array;
  try {
    const source = openImage(mask, options.maxPixels);
    const { hasAlpha } = await source.metadata();
    // Opaque-on-transparent masks use alpha; black-and-white masks use brightness.
    const channel = hasAlpha && (await source.stats()).channels.at(-1)!.min < 128 ? source.extractChannel('alpha') : source.removeAlpha().grayscale();
    // Grow the marked area by about `grown` pixels (none on tiny images): blur the binary mask, keep anything it reached.
    const grown = Math.min(image.width, image.height) < 16 ? 0 : Math.max(1, Math.round(Math.min(image.width, image.height) / 150));
    const binary = channel.threshold(128);
    maskPixels = new Uint8Array(await (grown > 0 ? binary.blur(grown).threshold(8) : binary).extractChannel(0).raw().toBuffer());
  } catch (error) {
    throw toImageError(error);
  }
  const covered = maskPixels.reduce((count, value) => count + (value ? 1 : 0), 0);
  if (covered === 0) throw new DarkroomError({ code: 'invalid_input', message: 'The mask marks nothing to remove: paint the object white (or opaque) on black' });
  if (covered === maskPixels.length) throw new DarkroomError({ code: 'invalid_input', message: 'The mask covers the whole image: nothing is left to fill from' });
  const pixels = await options.pool.run('inpaintPixels', [raw.pixels, maskPixels, raw.width, raw.height, raw.channels], options.signal);
  const result = await encodeRaw({ ...raw, pixels }, image, request);
  return { images: [result], metadata: { method: 'multiscale diffusion', masked_pixels: covered } };
}

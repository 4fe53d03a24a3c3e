import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import type { PixelPool } from './create-pixel-pool.js';
import { inpaintingRanges, type OnnxInpaintingModel } from './inpaint-with-model.js';
import { decodeRaw, encodeRaw, rawPipeline, readRaw } from './raw-image.js';
import { toImageError } from './sharp-error.js';

/**
 * Outpainting without a generative model: the new borders are completed from the photo's own
 * texture by the same PatchMatch completion as object removal (`patchMatchPixels`, on a pixel worker,
 * deterministic for a `seed`, 0 when none is sent), and the original pixels are kept untouched, at
 * their own bit depth and with their alpha. The output format defaults to the input's; PNG (16-bit
 * for 16-bit input) and WebP are written lossless, so the original pixels stay bit-exact; JPEG cannot
 * keep them so.
 *
 * With a learned `inpainting` model configured, an 8-bit photo's borders are filled by it instead (the
 * canvas resized to the model's size and back, written into the borders only); 16-bit photos keep the
 * PatchMatch completion, which works at their depth.
 */
export async function expandImage(request: CapabilityRequest<'outpaint'>, options: { pool: PixelPool; maxPixels: number; signal: AbortSignal; inpainting?: { model: OnnxInpaintingModel; sessions: OnnxSessions } }): Promise<CapabilityResult<'outpaint'>> {
  const { image, left, right, top, bottom } = request;
  const original = await decodeRaw(image, options.maxPixels);
  const width = original.width + left + right;
  const height = original.height + top + bottom;
  let canvas;
  try {
    canvas = await readRaw(rawPipeline(original).extend({ top, bottom, left, right, extendWith: 'mirror' }), original.pixels instanceof Uint16Array);
  } catch (error) {
    throw toImageError(error);
  }
  const border = new Uint8Array(width * height).fill(255);
  for (let row = 0; row < original.height; row += 1) border.fill(0, (row + top) * width + left, (row + top) * width + left + original.width);
  // The completion returns unmasked pixels sample for sample: the original stays bit-exact.
  const seed = request.seed ?? 0;
  const { inpainting } = options;
  if (inpainting && canvas.pixels instanceof Uint8Array) {
    const [multiply, add] = inpaintingRanges[inpainting.model.range ?? 'zero-one'];
    const size = inpainting.model.size ?? 512;
    const session = await inpainting.sessions.get(inpainting.model.path, options.signal);
    const filled = await session.process('applyInpaintingModel', { ...canvas, mask: border, path: inpainting.model.path, size, multiply, add }, options.signal);
    const result = await encodeRaw(filled, image, { ...request, lossless: true });
    return { images: [result], metadata: { left, right, top, bottom, fill: 'learned inpainting model', model: inpainting.model.path, method: 'onnx inpainting' } };
  }
  const pixels = await options.pool.run('patchMatchPixels', [canvas.pixels, border, width, height, original.channels, seed], options.signal);
  const result = await encodeRaw({ width, height, channels: original.channels, pixels }, image, { ...request, lossless: true });
  return { images: [result], seed, metadata: { left, right, top, bottom, fill: 'patchmatch completion from the photo', method: 'classic' } };
}

import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import { decodeRaw, encodeRaw, rawPipeline, readRaw } from './raw-image.js';
import { toImageError } from './sharp-error.js';

/**
 * Outpainting without a generative model: the new borders continue the edges (mirrored content,
 * blurred), and the original pixels are pasted back untouched, at their own bit depth and with their
 * alpha. The output format defaults to the input's; PNG (16-bit for 16-bit input) and WebP are
 * written lossless, so the original pixels stay bit-exact; JPEG cannot keep them so.
 */
export async function expandImage(request: CapabilityRequest<'outpaint'>, options: { maxPixels: number }): Promise<CapabilityResult<'outpaint'>> {
  const { image, left, right, top, bottom } = request;
  const original = await decodeRaw(image, options.maxPixels);
  const width = original.width + left + right;
  const height = original.height + top + bottom;
  const deep = original.pixels instanceof Uint16Array;
  let filled;
  try {
    const mirrored = await readRaw(rawPipeline(original).extend({ top, bottom, left, right, extendWith: 'mirror' }), deep);
    const pad = Math.max(left, right, top, bottom);
    const sigma = Math.max(1, Math.min(60, pad / 6));
    filled = await readRaw(rawPipeline(mirrored).blur(sigma), deep);
  } catch (error) {
    throw toImageError(error);
  }
  // Paste the original rows back sample for sample (compositing would blend semi-transparent pixels).
  const { channels } = original;
  const rowSamples = original.width * channels;
  for (let row = 0; row < original.height; row += 1) {
    filled.pixels.set(original.pixels.subarray(row * rowSamples, (row + 1) * rowSamples), ((row + top) * width + left) * channels);
  }
  const result = await encodeRaw({ ...filled, channels }, image, { ...request, lossless: true });
  return { images: [result], metadata: { left, right, top, bottom, fill: 'mirrored edges, progressively blurred', method: 'classic' } };
}

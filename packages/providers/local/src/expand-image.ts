import sharp from 'sharp';
import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import { encode } from './upscale-lanczos.js';
import { toImageError } from './sharp-error.js';

/**
 * Outpainting without a generative model: the new borders continue the edges (mirrored content,
 * blurred), and the original pixels are pasted back untouched. PNG (the default) and WebP are written
 * lossless, so the original pixels stay bit-exact; JPEG, if asked for, cannot keep them so.
 */
export async function expandImage(request: CapabilityRequest<'outpaint'>, options: { maxPixels: number }): Promise<CapabilityResult<'outpaint'>> {
  const { image, left, right, top, bottom } = request;
  const width = image.width + left + right;
  const height = image.height + top + bottom;
  try {
    const original = await sharp(image.bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated' }).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: image.width, height: image.height, channels: 4 as const } };
    const mirrored = await sharp(original.data, raw).extend({ top, bottom, left, right, extendWith: 'mirror' }).raw().toBuffer();
    const pad = Math.max(left, right, top, bottom);
    const sigma = Math.max(1, Math.min(60, pad / 6));
    const pasted = await sharp(mirrored, { raw: { width, height, channels: 4 } }).blur(sigma).raw().toBuffer();
    // Paste the original rows back byte for byte (compositing would blend semi-transparent pixels).
    const rowBytes = image.width * 4;
    for (let row = 0; row < image.height; row += 1) {
      original.data.copy(pasted, ((row + top) * width + left) * 4, row * rowBytes, (row + 1) * rowBytes);
    }
    const format = request.format ?? 'png';
    const keepAlpha = format !== 'jpeg' && (image.mimeType === 'image/png' || image.mimeType === 'image/webp');
    let pipeline = sharp(pasted, { raw: { width, height, channels: 4 } });
    if (!keepAlpha) pipeline = pipeline.removeAlpha();
    const { bytes, mimeType } = await encode(pipeline, format, { lossless: true });
    return { images: [{ bytes, mimeType, width, height }], metadata: { left, right, top, bottom, fill: 'mirrored edges, progressively blurred', method: 'classic' } };
  } catch (error) {
    throw toImageError(error);
  }
}

import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw, transformColour, type RawImage } from './raw-image.js';

/**
 * Upscale by Lanczos-3 on a worker thread to exactly scale × the input size, at the input's bit
 * depth, alpha resampled premultiplied; optionally sharpened (colour only).
 */
export async function upscaleLanczos(
  request: CapabilityRequest<'upscale'>,
  options: { maxPixels: number; pool: PixelPool; signal: AbortSignal },
): Promise<CapabilityResult<'upscale'>> {
  const { image, scale } = request;
  if (!Number.isInteger(scale) || scale < 1) throw new DarkroomError({ code: 'invalid_input', message: `The local upscaler needs a whole-number scale, not ${scale}` });
  const decoded = await decodeRaw(image, options.maxPixels);
  const pixels = await options.pool.run('lanczosUpscale', [decoded.pixels, decoded.width, decoded.height, decoded.channels, scale], options.signal);
  let enlarged: RawImage = { pixels, width: decoded.width * scale, height: decoded.height * scale, channels: decoded.channels };
  if (request.sharpen) enlarged = await transformColour(enlarged, (rgb) => rgb.sharpen({ sigma: 0.8 }));
  const result = await encodeRaw(enlarged, image, request);
  return { images: [result], metadata: { kernel: 'lanczos3', scale, sharpened: Boolean(request.sharpen) } };
}

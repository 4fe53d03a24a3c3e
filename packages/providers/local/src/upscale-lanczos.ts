import sharp, { type Sharp } from 'sharp';
import { DarkroomError, type CapabilityRequest, type CapabilityResult, type ImageData, type OutputFormat } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { toImageError } from './sharp-error.js';

const mimeOf: Record<OutputFormat, ImageData['mimeType']> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The output format: as asked, else the input's when it is PNG, JPEG or WebP, else PNG. */
export function outputFormatFor(image: ImageData, requested?: OutputFormat): OutputFormat {
  if (requested) return requested;
  if (image.mimeType === 'image/jpeg') return 'jpeg';
  if (image.mimeType === 'image/webp') return 'webp';
  return 'png';
}

export async function encode(pipeline: Sharp, format: OutputFormat, options: { lossless?: boolean } = {}): Promise<{ bytes: Uint8Array; mimeType: ImageData['mimeType'] }> {
  const encoded =
    format === 'jpeg' ? pipeline.jpeg({ quality: 92, mozjpeg: false }) : format === 'webp' ? pipeline.webp(options.lossless ? { lossless: true } : { quality: 92 }) : pipeline.png({ compressionLevel: 6 });
  return { bytes: new Uint8Array(await encoded.toBuffer()), mimeType: mimeOf[format] };
}

/** Upscale by Lanczos-3 (sharp decodes and encodes), optionally sharpened, to exactly scale × the input size. */
export async function upscaleLanczos(
  request: CapabilityRequest<'upscale'>,
  options: { maxPixels: number; pool: PixelPool; signal: AbortSignal },
): Promise<CapabilityResult<'upscale'>> {
  const { image, scale } = request;
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  if (!Number.isInteger(scale) || scale < 1) throw new DarkroomError({ code: 'invalid_input', message: `The local upscaler needs a whole-number scale, not ${scale}` });
  try {
    const decoded = await sharp(image.bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const { channels } = decoded.info;
    const enlarged = await options.pool.run('lanczosUpscale', [decoded.data, decoded.info.width, decoded.info.height, channels, scale], options.signal);
    let pipeline = sharp(enlarged, { raw: { width, height, channels } });
    if (request.sharpen) pipeline = pipeline.sharpen({ sigma: 0.8 });
    const format = outputFormatFor(image, request.format);
    const { bytes, mimeType } = await encode(pipeline, format);
    return { images: [{ bytes, mimeType, width, height }], metadata: { kernel: 'lanczos3', scale, sharpened: Boolean(request.sharpen) } };
  } catch (error) {
    if (options.signal.aborted || DarkroomError.isInstance(error)) throw error;
    throw toImageError(error);
  }
}

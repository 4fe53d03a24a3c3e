import sharp, { type Sharp } from 'sharp';
import type { CapabilityRequest, CapabilityResult, ImageData, OutputFormat } from '@darkroom/core';
import { toImageError } from './sharp-error.js';

const mimeOf: Record<OutputFormat, ImageData['mimeType']> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The output format: as asked, else the input's when it is PNG, JPEG or WebP, else PNG. */
export function outputFormatFor(image: ImageData, requested?: OutputFormat): OutputFormat {
  if (requested) return requested;
  if (image.mimeType === 'image/jpeg') return 'jpeg';
  if (image.mimeType === 'image/webp') return 'webp';
  return 'png';
}

export async function encode(pipeline: Sharp, format: OutputFormat): Promise<{ bytes: Uint8Array; mimeType: ImageData['mimeType'] }> {
  const encoded = format === 'jpeg' ? pipeline.jpeg({ quality: 92, mozjpeg: false }) : format === 'webp' ? pipeline.webp({ quality: 92 }) : pipeline.png({ compressionLevel: 6 });
  return { bytes: new Uint8Array(await encoded.toBuffer()), mimeType: mimeOf[format] };
}

/** Upscale with sharp's Lanczos-3 kernel, optionally sharpened, to exactly scale × the input size. */
export async function upscaleLanczos(request: CapabilityRequest<'upscale'>, options: { maxPixels: number }): Promise<CapabilityResult<'upscale'>> {
  const { image, scale } = request;
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  try {
    let pipeline = sharp(image.bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated' }).resize(width, height, { kernel: 'lanczos3', fit: 'fill' });
    if (request.sharpen) pipeline = pipeline.sharpen({ sigma: 0.8 });
    const format = outputFormatFor(image, request.format);
    const { bytes, mimeType } = await encode(pipeline, format);
    return { images: [{ bytes, mimeType, width, height }], metadata: { kernel: 'lanczos3', scale, sharpened: Boolean(request.sharpen) } };
  } catch (error) {
    throw toImageError(error);
  }
}

import sharp from 'sharp';
import { errors } from '../errors/errors.js';
import type { ImageData } from '../spec/image-data.js';
import { isImageComplete } from './is-image-complete.js';
import { sniffImageType } from './sniff-image-type.js';

export interface ImageLimits {
  /** Largest width × height accepted (decompression-bomb guard). */
  maxPixels: number;
  /** Largest encoded size in bytes. */
  maxBytes: number;
}

export const defaultImageLimits: ImageLimits = { maxPixels: 40_000_000, maxBytes: 40 * 1024 * 1024 };

/**
 * Checks that bytes are an image we can read, within limits, and returns them with format and size.
 * Reads only the header, so it is cheap; decoding errors later are mapped by the provider.
 */
export async function inspectImage(bytes: Uint8Array, limits: ImageLimits = defaultImageLimits): Promise<ImageData> {
  if (bytes.byteLength > limits.maxBytes) {
    throw errors.imageTooLarge(`The image is ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}`, { maxBytes: limits.maxBytes });
  }
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw errors.invalidImage('Not a supported image: send PNG, JPEG, WebP, AVIF, GIF or TIFF');
  if (!isImageComplete(bytes, mimeType)) throw errors.invalidImage(`The ${mimeType} image is truncated: its end is missing`);
  let width: number | undefined;
  let height: number | undefined;
  try {
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = metadata.width;
    height = metadata.height;
  } catch (cause) {
    throw errors.invalidImage(`The ${mimeType} image could not be read: it is corrupt or truncated`, {
      reason: cause instanceof Error ? cause.message : String(cause),
    });
  }
  if (!width || !height) throw errors.invalidImage('The image has no size: it is corrupt or truncated');
  if (width * height > limits.maxPixels) {
    throw errors.imageTooLarge(`The image is ${width}×${height} pixels; the limit is ${limits.maxPixels} pixels`, { width, height, maxPixels: limits.maxPixels });
  }
  return { bytes, mimeType, width, height };
}

import { errors, type ImageData } from '@darkroom/plugin-api';
import { isImageComplete } from './is-image-complete.js';
import { loadSharp } from './load-sharp.js';
import { uprightImage } from './upright-image.js';
import { sniffImageType } from './sniff-image-type.js';

export interface ImageLimits {
  /** Largest width × height of an input image, in pixels (decompression-bomb guard). */
  maxPixels: number;
  /** Largest encoded size of an input image, in bytes. */
  maxBytes: number;
  /**
   * Largest width × height of one result image, in pixels, checked before a provider is called
   * (an upscale, expand or generation that would exceed it is refused with `output_too_large`, 413).
   */
  maxOutputPixels: number;
}

export const defaultImageLimits: ImageLimits = { maxPixels: 40_000_000, maxBytes: 40 * 1024 * 1024, maxOutputPixels: 50_000_000 };

/**
 * Checks that bytes are an image we can read, within limits, and returns them with format and size.
 * Reads only the header, so it is cheap; decoding errors later are mapped by the provider. An image
 * with an EXIF orientation other than 1 (as phones write) is turned upright once, here, so every
 * feature, provider and mask sees the image as a viewer shows it (see {@link uprightImage}).
 *
 * @throws DarkroomError `invalid_image` (400) for unknown, corrupt or truncated bytes;
 *   `image_too_large` (413) beyond `limits.maxBytes` or `limits.maxPixels`.
 */
export async function inspectImage(bytes: Uint8Array, limits: Pick<ImageLimits, 'maxPixels' | 'maxBytes'> = defaultImageLimits): Promise<ImageData> {
  if (bytes.byteLength > limits.maxBytes) {
    throw errors.imageTooLarge(`The image is ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}: send a smaller file (a JPEG or WebP, or fewer pixels), or raise the limit (createEngine's imageLimits.maxBytes)`, { maxBytes: limits.maxBytes });
  }
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw errors.invalidImage('Not a supported image: send PNG, JPEG, WebP, AVIF, GIF or TIFF');
  if (!isImageComplete(bytes, mimeType)) throw errors.invalidImage(`The ${mimeType} image is truncated: its end is missing`);
  let width: number | undefined;
  let height: number | undefined;
  let orientation: number | undefined;
  try {
    const sharp = await loadSharp();
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = metadata.width;
    height = metadata.height;
    orientation = metadata.orientation;
  } catch (cause) {
    throw errors.invalidImage(`The ${mimeType} image could not be read: it is corrupt or truncated`, {
      reason: cause instanceof Error ? cause.message : String(cause),
    });
  }
  if (!width || !height) throw errors.invalidImage('The image has no size: it is corrupt or truncated');
  if (width * height > limits.maxPixels) {
    throw errors.imageTooLarge(`The image is ${width}×${height} pixels; the limit is ${limits.maxPixels} pixels: resize it to fit, or raise the limit (the server's DARKROOM_MAX_IMAGE_PIXELS, createEngine's imageLimits.maxPixels)`, { width, height, maxPixels: limits.maxPixels });
  }
  if (orientation && orientation > 1 && orientation <= 8) return uprightImage({ bytes, mimeType, width, height }, limits.maxPixels);
  return { bytes, mimeType, width, height };
}

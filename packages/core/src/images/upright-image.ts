import type { Sharp } from 'sharp';
import { errors, type ImageData, type ImageMimeType } from '@darkroom/plugin-api';
import { loadSharp } from './load-sharp.js';

/** How each readable format is written back after turning it upright: lossless where the format allows. */
const writers: Record<ImageMimeType, (image: Sharp) => Sharp> = {
  'image/png': (image) => image.png(),
  'image/jpeg': (image) => image.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }),
  'image/webp': (image) => image.webp({ quality: 95 }),
  'image/avif': (image) => image.avif({ quality: 90 }),
  'image/tiff': (image) => image.tiff({ compression: 'lzw' }),
  'image/gif': (image) => image.gif(),
};

/**
 * Applies an image's EXIF orientation (1–8, mirrored ones included) to its pixels and drops the tag,
 * so the result looks the same in a viewer and has no orientation left to apply twice. The format,
 * bit depth, alpha and ICC profile are kept; a JPEG is re-encoded once at quality 95 (4:4:4).
 *
 * @returns the upright image: new bytes, same MIME type, the displayed width and height.
 * @throws DarkroomError `invalid_image` (400) when the pixels cannot be decoded.
 */
export async function uprightImage(image: ImageData, maxPixels: number): Promise<ImageData> {
  try {
    const sharp = await loadSharp();
    let pipeline = sharp(image.bytes, { limitInputPixels: maxPixels, failOn: 'truncated', autoOrient: true }).keepIccProfile();
    const { depth, space } = await pipeline.metadata();
    // sharp writes 8 bits unless the pipeline is in a 16-bit space: keep 16-bit PNG and TIFF so.
    if (depth === 'ushort' && (image.mimeType === 'image/png' || image.mimeType === 'image/tiff')) pipeline = pipeline.toColourspace(space === 'grey16' ? 'grey16' : 'rgb16');
    const { data, info } = await writers[image.mimeType](pipeline).toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), mimeType: image.mimeType, width: info.width, height: info.height };
  } catch (cause) {
    throw errors.invalidImage(`The ${image.mimeType} image could not be decoded to apply its EXIF orientation: it is corrupt or truncated`, {
      reason: cause instanceof Error ? cause.message : String(cause),
    });
  }
}

import type { Sharp } from 'sharp';
import type { ImageOutputOptions, OutputFormat, ImageData } from '@darkroom/plugin-api';

/** The MIME type each output format is written as. */
export const outputMimeTypes: Record<OutputFormat, ImageData['mimeType']> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** Colour transparency is flattened on when the output format has no alpha and the request names none. */
export const defaultBackground = '#ffffff';

/** The output format: as asked, else the input's when it is PNG, JPEG or WebP, else PNG (TIFF, GIF, AVIF inputs). */
export function outputFormatFor(image: ImageData | undefined, requested?: OutputFormat): OutputFormat {
  if (requested) return requested;
  if (image?.mimeType === 'image/jpeg') return 'jpeg';
  if (image?.mimeType === 'image/webp') return 'webp';
  return 'png';
}

export interface EncodeOptions extends Pick<ImageOutputOptions, 'background'> {
  /** Write WebP losslessly (PNG always is). */
  lossless?: boolean;
  /** The pipeline holds 16-bit samples: PNG keeps 16 bits; JPEG and WebP (8-bit formats) are reduced. */
  deep?: boolean;
}

/**
 * Encodes a sharp pipeline in one of the output formats. JPEG has no alpha: a transparent image is
 * flattened on `background` (white by default), never on black. 16-bit pipelines stay 16-bit in PNG.
 * Metadata (EXIF orientation included) is not copied: results are upright sRGB.
 *
 * @example
 * const { bytes, mimeType } = await encodeImage(sharp(input), 'jpeg', { background: '#000000' });
 */
export async function encodeImage(pipeline: Sharp, format: OutputFormat, options: EncodeOptions = {}): Promise<ImageData> {
  let image = pipeline;
  if (format === 'jpeg') image = image.flatten({ background: options.background ?? defaultBackground });
  if (options.deep) image = image.toColourspace(format === 'png' ? 'rgb16' : 'srgb');
  const encoded =
    format === 'jpeg'
      ? image.jpeg({ quality: 92, mozjpeg: false })
      : format === 'webp'
        ? image.webp(options.lossless ? { lossless: true } : { quality: 92 })
        : image.png({ compressionLevel: 6 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), mimeType: outputMimeTypes[format], width: info.width, height: info.height };
}

import sharp from 'sharp';
import type { ImageData, OutputFormat } from '@darkroom/core';
import { encode, outputFormatFor } from './upscale-lanczos.js';
import { toImageError } from './sharp-error.js';

export interface RawImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** Decodes to interleaved 8-bit sRGB pixels (alpha kept), refusing oversized or corrupt input. */
export async function decodeRaw(image: ImageData, maxPixels: number): Promise<RawImage> {
  try {
    const { data, info } = await sharp(image.bytes, { limitInputPixels: maxPixels, failOn: 'truncated' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw toImageError(error);
  }
}

/** Encodes raw pixels in the requested format (else the source's, else PNG). */
export async function encodeRaw(raw: RawImage, source: ImageData, format?: OutputFormat): Promise<ImageData> {
  const { bytes, mimeType } = await encode(sharp(raw.pixels, { raw: { width: raw.width, height: raw.height, channels: raw.channels as 1 | 2 | 3 | 4 } }), outputFormatFor(source, format));
  return { bytes, mimeType, width: raw.width, height: raw.height };
}

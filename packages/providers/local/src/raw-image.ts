import sharp, { type Sharp } from 'sharp';
import { encodeImage, outputFormatFor, type ImageData, type ImageOutputOptions } from '@darkroom/core';
import { joinAlpha, splitAlpha } from './alpha-planes.js';
import { toImageError } from './sharp-error.js';

export { joinAlpha, splitAlpha };

/** Interleaved pixels: 8-bit (`Uint8Array`, 0–255) or 16-bit (`Uint16Array`, 0–65535) samples. */
export type Samples = Uint8Array | Uint16Array;

/** A decoded image: sRGB, interleaved, RGB (3 channels) or RGBA (4), 8 or 16 bits per sample. */
export interface RawImage {
  pixels: Samples;
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA); masks and single planes use 1. */
  channels: number;
}

/** The largest sample value of the pixels' depth: 255 or 65535. */
export const whiteOf = (pixels: Samples): number => (pixels instanceof Uint16Array ? 65535 : 255);

/** sharp's raw input description of a raw image. */
export const rawInput = (raw: Pick<RawImage, 'width' | 'height' | 'channels'>) => ({ raw: { width: raw.width, height: raw.height, channels: raw.channels as 1 | 2 | 3 | 4 } });

/**
 * Opens an input image with the engine's read rules: the pixel limit (decompression bombs), truncated
 * data refused, EXIF orientation applied (so the pixels are upright as a viewer shows them).
 */
export function openImage(image: ImageData, maxPixels: number): Sharp {
  return sharp(image.bytes, { limitInputPixels: maxPixels, failOn: 'truncated', autoOrient: true });
}

/** Wraps sharp's raw output without copying when the buffer is aligned. */
function toSamples(data: Buffer, deep: boolean): Samples {
  if (!deep) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteOffset % 2 === 0) return new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  return new Uint16Array(new Uint8Array(data).buffer);
}

/**
 * Decodes to interleaved sRGB pixels: grey becomes RGB, a palette or grey+alpha becomes RGBA, an ICC
 * profile is converted to sRGB, and 16-bit inputs (PNG, TIFF) stay 16-bit unless `depth: 8` is asked.
 *
 * @throws DarkroomError `invalid_image` (400) for undecodable data, `image_too_large` (413) beyond `maxPixels`.
 */
export async function decodeRaw(image: ImageData, maxPixels: number, options: { depth?: 8 } = {}): Promise<RawImage> {
  try {
    const pipeline = openImage(image, maxPixels);
    const { depth } = await pipeline.metadata();
    const deep = options.depth !== 8 && depth !== undefined && depth !== 'uchar' && depth !== 'char';
    const { data, info } = await pipeline.toColourspace(deep ? 'rgb16' : 'srgb').raw({ depth: deep ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    return { pixels: toSamples(data, deep), width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw toImageError(error);
  }
}

/** A sharp pipeline over raw pixels (16-bit samples are read as 16-bit). */
export function rawPipeline(raw: RawImage): Sharp {
  return sharp(raw.pixels, rawInput(raw));
}

/** Reads a pipeline's result back as raw samples of the given depth (sRGB; channels as the pipeline has them). */
export async function readRaw(pipeline: Sharp, deep: boolean): Promise<RawImage> {
  const { data, info } = await pipeline.toColourspace(deep ? 'rgb16' : 'srgb').raw({ depth: deep ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  return { pixels: toSamples(data, deep), width: info.width, height: info.height, channels: info.channels };
}

/**
 * Applies a sharp colour operation to the RGB channels only, at the image's own bit depth, and puts
 * the untouched alpha back: filters (median, sharpen, tone curves) never smear or darken transparency.
 */
export async function transformColour(raw: RawImage, transform: (rgb: Sharp) => Sharp | Promise<Sharp>): Promise<RawImage> {
  const { colour, alpha } = splitAlpha(raw);
  const deep = raw.pixels instanceof Uint16Array;
  const result = await readRaw((await transform(rawPipeline(colour))).removeAlpha(), deep);
  if (result.width !== raw.width || result.height !== raw.height) throw new Error(`A colour transform changed the size to ${result.width}×${result.height}`);
  return alpha ? joinAlpha(result, alpha) : result;
}

/**
 * Encodes raw pixels in the requested format, else the source's (PNG for TIFF, GIF, AVIF). 16-bit
 * pixels stay 16-bit in PNG; transparency is flattened on `background` (white) for JPEG.
 */
export async function encodeRaw(raw: RawImage, source: ImageData | undefined, output: ImageOutputOptions & { lossless?: boolean } = {}): Promise<ImageData> {
  return encodeImage(rawPipeline(raw), outputFormatFor(source, output.format), {
    deep: raw.pixels instanceof Uint16Array,
    ...(output.background ? { background: output.background } : {}),
    ...(output.lossless ? { lossless: true } : {}),
  });
}

import { DarkroomError, type ImageData } from '@darkroom/core';
import { openImage } from './raw-image.js';
import { toImageError } from './sharp-error.js';

/** A mask as the local provider acts on it: one byte per pixel of the image, 255 where to act, 0 elsewhere. */
export interface InpaintMask {
  /** The marked pixels themselves (threshold 128). */
  marked: Uint8Array;
  /** The marked pixels grown by `grownBy` pixels, to cover an object's soft edges (what is acted on). */
  grown: Uint8Array;
  /** How far the marks were grown, in pixels (0 on images under 16 pixels a side). */
  grownBy: number;
  /** Pixels in `grown`. */
  covered: number;
}

/**
 * Reads an inpainting mask by the engine's convention: white (or opaque, for an opaque-on-transparent
 * mask) where to act, black (or transparent) elsewhere, the image's size. Marks are thresholded at
 * 128 and grown by about 1/150 of the image's short side (at least 1 pixel) so soft object edges are
 * covered: the binary mask blurred by that radius, anything it reached kept.
 *
 * @throws DarkroomError `invalid_input` (400) when the mask's size differs from the image's, or it
 *   marks nothing; `invalid_image` for an undecodable mask.
 */
export async function readInpaintMask(image: ImageData, mask: ImageData, maxPixels: number): Promise<InpaintMask> {
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new DarkroomError({ code: 'invalid_input', message: `The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; they must be the same size` });
  }
  let marked: Uint8Array;
  let grown: Uint8Array;
  const grownBy = Math.min(image.width, image.height) < 16 ? 0 : Math.max(1, Math.round(Math.min(image.width, image.height) / 150));
  try {
    const source = openImage(mask, maxPixels);
    const { hasAlpha } = await source.metadata();
    // Opaque-on-transparent masks use alpha; black-and-white masks use brightness.
    const channel = hasAlpha && (await source.stats()).channels.at(-1)!.min < 128 ? source.extractChannel('alpha') : source.removeAlpha().grayscale();
    const binary = channel.threshold(128);
    marked = new Uint8Array(await binary.clone().extractChannel(0).raw().toBuffer());
    grown = grownBy > 0 ? new Uint8Array(await binary.blur(grownBy).threshold(8).extractChannel(0).raw().toBuffer()) : marked;
  } catch (error) {
    throw toImageError(error);
  }
  const covered = grown.reduce((count, value) => count + (value ? 1 : 0), 0);
  if (covered === 0) throw new DarkroomError({ code: 'invalid_input', message: 'The mask marks nothing to remove: paint the object white (or opaque) on black' });
  return { marked, grown, grownBy, covered };
}

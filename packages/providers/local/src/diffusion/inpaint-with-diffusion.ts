import sharp from 'sharp';
import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import { decodeRaw, encodeRaw, rawInput } from '../raw-image.js';
import { readInpaintMask, type InpaintMask } from '../read-inpaint-mask.js';
import { toImageError } from '../sharp-error.js';
import { diffusionMetadata, type DiffusionCallOptions } from './diffusion-call-options.js';
import type { Region } from './plan-inpaint-region.js';
import { cropPlane, repaintRegion } from './repaint-region.js';

/**
 * How much of the generated image each pixel of `region` takes: 0 outside the grown mask (those pixels
 * stay as they were), 255 on the marked pixels, and a ramp across the ring the mask was grown by (the
 * grown mask blurred by half that width), so the fill fades into its surroundings instead of a hard seam.
 */
async function featherWeights(mask: InpaintMask, width: number, region: Region): Promise<Uint8Array> {
  const grown = cropPlane(mask.grown, width, region);
  if (mask.grownBy === 0) return grown;
  const marked = cropPlane(mask.marked, width, region);
  let blurred: Uint8Array;
  try {
    blurred = new Uint8Array(await sharp(grown, rawInput({ width: region.width, height: region.height, channels: 1 })).blur(Math.max(0.3, mask.grownBy / 2)).extractChannel(0).raw().toBuffer());
  } catch (error) {
    throw toImageError(error);
  }
  return grown.map((value, index) => (value ? Math.max(marked[index]!, blurred[index]!) : 0));
}

/**
 * Object removal (inpainting) with a local diffusion model. The mask follows the engine's convention
 * (`readInpaintMask`: white or opaque where to act, grown a little over soft edges); the region around
 * it is repainted (`repaintRegion`) with the prompt (empty: fill from the surroundings) and blended in.
 * Pixels outside the grown mask keep their samples exactly (depth and alpha included); the result is
 * encoded in the image's format unless asked otherwise.
 */
export async function inpaintWithDiffusion(request: CapabilityRequest<'inpaint'>, options: DiffusionCallOptions): Promise<CapabilityResult<'inpaint'>> {
  const mask = await readInpaintMask(request.image, request.mask, options.maxPixels);
  const original = await decodeRaw(request.image, options.maxPixels);
  const weights = (region: Region) => featherWeights(mask, original.width, region);
  const { pixels, outcome, seeds, region } = await repaintRegion({ canvas: original, mask: mask.grown, weights, request }, options);
  const image = await encodeRaw({ ...original, pixels }, request.image, request);
  return {
    images: [image],
    seed: seeds[0]!,
    metadata: diffusionMetadata(outcome, options.model, seeds, {
      masked_pixels: mask.covered,
      region: { left: region.left, top: region.top, width: region.width, height: region.height },
      generated_size: `${region.workWidth}×${region.workHeight}`,
    }),
  };
}

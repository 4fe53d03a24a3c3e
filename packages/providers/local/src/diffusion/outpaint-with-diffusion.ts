import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import { decodeRaw, encodeRaw, rawPipeline, readRaw, type RawImage } from '../raw-image.js';
import { toImageError } from '../sharp-error.js';
import { diffusionMetadata, type DiffusionCallOptions } from './diffusion-call-options.js';
import type { Region } from './plan-inpaint-region.js';
import { cropPlane, repaintRegion } from './repaint-region.js';

/**
 * The expanded canvas: the original in place, sample for sample, and the new borders continuing its
 * edges (mirrored; a plain model's starting point, an inpainting model ignores it), opaque where the
 * image has alpha.
 */
async function expandedCanvas(original: RawImage, sides: { left: number; right: number; top: number; bottom: number }): Promise<RawImage> {
  const deep = original.pixels instanceof Uint16Array;
  let canvas: RawImage;
  try {
    canvas = await readRaw(rawPipeline(original).extend({ ...sides, extendWith: 'mirror' }), deep);
  } catch (error) {
    throw toImageError(error);
  }
  const { channels } = original;
  const white = deep ? 65535 : 255;
  for (let y = 0; y < canvas.height; y += 1) {
    const inside = y >= sides.top && y < sides.top + original.height;
    if (channels === 4) {
      for (let x = 0; x < canvas.width; x += 1) if (!inside || x < sides.left || x >= sides.left + original.width) canvas.pixels[(y * canvas.width + x) * 4 + 3] = white;
    }
    if (inside) {
      const row = original.pixels.subarray((y - sides.top) * original.width * channels, (y - sides.top + 1) * original.width * channels);
      canvas.pixels.set(row, (y * canvas.width + sides.left) * channels);
    }
  }
  return canvas;
}

/**
 * Outpainting with a local diffusion model: the canvas grows by the requested borders, which are
 * inpainted (`repaintRegion`, mask = the new borders) from the original's content and the prompt.
 * The original pixels are kept bit-exact (16-bit and alpha included); the result is written lossless
 * (PNG, or lossless WebP) unless JPEG is asked for, which cannot keep them so.
 */
export async function outpaintWithDiffusion(request: CapabilityRequest<'outpaint'>, options: DiffusionCallOptions): Promise<CapabilityResult<'outpaint'>> {
  const { left, right, top, bottom } = request;
  const original = await decodeRaw(request.image, options.maxPixels);
  const canvas = await expandedCanvas(original, { left, right, top, bottom });
  const mask = new Uint8Array(canvas.width * canvas.height).fill(255);
  for (let y = top; y < top + original.height; y += 1) mask.fill(0, y * canvas.width + left, y * canvas.width + left + original.width);
  // The new borders take the generated pixels whole; the original none.
  const weights = async (area: Region) => cropPlane(mask, canvas.width, area);
  const { pixels, outcome, seeds, region } = await repaintRegion({ canvas, mask, weights, request }, options);
  const image = await encodeRaw({ ...canvas, pixels }, request.image, { ...request, lossless: true });
  return {
    images: [image],
    seed: seeds[0]!,
    metadata: diffusionMetadata(outcome, options.model, seeds, {
      left,
      right,
      top,
      bottom,
      region: { left: region.left, top: region.top, width: region.width, height: region.height },
      generated_size: `${region.workWidth}×${region.workHeight}`,
    }),
  };
}

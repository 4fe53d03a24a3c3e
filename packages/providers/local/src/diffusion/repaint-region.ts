import sharp from 'sharp';
import { DarkroomError, untilAborted, type GenerationOptions } from '@darkroom/core';
import { rawInput, rawPipeline, readRaw, type RawImage, type Samples } from '../raw-image.js';
import { toImageError } from '../sharp-error.js';
import type { DiffusionOutcome } from './create-diffusion-models.js';
import { alignmentOf, progressListener, seedsFrom, type DiffusionCallOptions } from './diffusion-call-options.js';
import { maskBounds, planInpaintRegion, type InpaintRegion, type Region } from './plan-inpaint-region.js';

/** The `region` of a `width`-wide plane, row by row. */
export function cropPlane(plane: Uint8Array, width: number, region: Region): Uint8Array {
  const cropped = new Uint8Array(region.width * region.height);
  for (let row = 0; row < region.height; row += 1) {
    const start = (region.top + row) * width + region.left;
    cropped.set(plane.subarray(start, start + region.width), row * region.width);
  }
  return cropped;
}

/** What to repaint: an image, where, and how the result is blended back. */
export interface RepaintJob {
  /** The image painted into, at its own depth and channels (RGB or RGBA, 8 or 16 bits). */
  canvas: RawImage;
  /** `width × height` of the canvas: non-zero where the model paints. */
  mask: Uint8Array;
  /**
   * How much of the model's result each pixel of the region takes, 0..255 (0 keeps the canvas sample for
   * sample): `region.width × region.height`, asked for the region only, so a large photo is not walked whole.
   */
  weights: (region: Region) => Promise<Uint8Array>;
  request: GenerationOptions & { prompt?: string | undefined };
}

/** The canvas with its region repainted. */
export interface RepaintResult {
  pixels: Samples;
  outcome: DiffusionOutcome;
  seeds: number[];
  region: InpaintRegion;
}

/**
 * Inpaints the masked part of an image with a local diffusion model: the region around the mask
 * (`planInpaintRegion`: the marked box with context, worked at about the model's native resolution)
 * is cut out, scaled to its working size (8-bit RGB, alpha dropped), repainted where the mask marks
 * (strength 1: the masked area is generated anew, the rest conditions it), scaled back, and blended
 * into the canvas by `weights` on a pixel worker (`blendRegionPixels`): pixels of weight 0 keep their
 * samples exactly, whatever the VAE did to them.
 *
 * @throws DarkroomError `invalid_input` when the mask marks nothing.
 */
export async function repaintRegion(job: RepaintJob, options: DiffusionCallOptions): Promise<RepaintResult> {
  const { canvas, request } = job;
  const folder = await untilAborted(options.models.folder(options.model), options.signal);
  const bounds = maskBounds(job.mask, canvas.width, canvas.height);
  if (!bounds) throw new DarkroomError({ code: 'invalid_input', message: 'The mask marks nothing to paint: paint the area white (or opaque) on black' });
  const region = planInpaintRegion(bounds, canvas.width, canvas.height, { defaultSize: folder.defaultSize, alignment: alignmentOf(folder) });
  const area = { left: region.left, top: region.top, width: region.width, height: region.height };
  const [workWidth, workHeight] = [region.workWidth, region.workHeight];
  let source: Uint8Array;
  let workMask: Uint8Array;
  try {
    source = (await readRaw(rawPipeline(canvas).extract(area).removeAlpha().resize(workWidth, workHeight, { fit: 'fill', kernel: 'lanczos3' }), false)).pixels as Uint8Array;
    const mask = sharp(job.mask, rawInput({ width: canvas.width, height: canvas.height, channels: 1 })).extract(area).resize(workWidth, workHeight, { fit: 'fill' });
    // Anything the mask reaches after resampling is painted: thin marks survive a reduction.
    workMask = new Uint8Array(await mask.threshold(1).extractChannel(0).raw().toBuffer());
  } catch (error) {
    throw toImageError(error);
  }
  const seeds = seedsFrom(request.seed, 1);
  const outcome = await options.models.run(options.model, {
    prompt: request.prompt ?? '',
    negativePrompt: request.negativePrompt,
    width: workWidth,
    height: workHeight,
    seeds,
    steps: request.steps,
    guidance: request.guidance,
    image: source,
    mask: workMask,
    signal: options.signal,
    onProgress: progressListener(options),
  });
  let generated = outcome.images[0]!;
  if (workWidth !== region.width || workHeight !== region.height) {
    try {
      const scaled = rawPipeline({ pixels: generated, width: workWidth, height: workHeight, channels: 3 }).resize(region.width, region.height, { fit: 'fill', kernel: 'lanczos3' });
      generated = (await readRaw(scaled, false)).pixels as Uint8Array;
    } catch (error) {
      throw toImageError(error);
    }
  }
  const weights = await job.weights(area);
  const pixels = await options.pool.run('blendRegionPixels', [canvas.pixels, canvas.width, canvas.channels, generated, weights, region.left, region.top, region.width, region.height], options.signal);
  return { pixels, outcome, seeds, region };
}

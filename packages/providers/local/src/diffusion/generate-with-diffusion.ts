import { untilAborted, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import { encodeRaw, rawPipeline, readRaw, type RawImage } from '../raw-image.js';
import { toImageError } from '../sharp-error.js';
import { alignmentOf, diffusionMetadata, progressListener, seedsFrom, type DiffusionCallOptions } from './diffusion-call-options.js';
import { planDiffusionSize, type DiffusionSize } from './plan-diffusion-size.js';

/** The generated pixels at the wanted size: cut (centred) from the aligned size, or resized (Lanczos, covering). */
export async function fitGenerated(pixels: Uint8Array, size: DiffusionSize, width: number, height: number): Promise<RawImage> {
  if (size.width === width && size.height === height) return { pixels, width, height, channels: 3 };
  const pipeline = rawPipeline({ pixels, width: size.width, height: size.height, channels: 3 });
  try {
    return await readRaw(
      size.fit === 'crop'
        ? pipeline.extract({ left: Math.floor((size.width - width) / 2), top: Math.floor((size.height - height) / 2), width, height })
        : pipeline.resize(width, height, { fit: 'cover', kernel: 'lanczos3' }),
      false,
    );
  } catch (error) {
    throw toImageError(error);
  }
}

/**
 * Text-to-image on a local diffusion model: `count` images from seeds `seed`, `seed + 1`, … at the
 * wanted size (worked at the size `planDiffusionSize` picks, then cut or resized to it), encoded as
 * asked (PNG by default). Progress is reported per denoising step.
 */
export async function generateWithDiffusion(request: CapabilityRequest<'text-to-image'>, options: DiffusionCallOptions): Promise<CapabilityResult<'text-to-image'>> {
  const folder = await untilAborted(options.models.folder(options.model), options.signal);
  const size = planDiffusionSize(request.width, request.height, { defaultSize: folder.defaultSize, alignment: alignmentOf(folder) });
  const seeds = seedsFrom(request.seed, Math.max(1, request.count ?? 1));
  const outcome = await options.models.run(options.model, {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    width: size.width,
    height: size.height,
    seeds,
    steps: request.steps,
    guidance: request.guidance,
    signal: options.signal,
    onProgress: progressListener(options),
  });
  const images = await Promise.all(outcome.images.map(async (pixels) => encodeRaw(await fitGenerated(pixels, size, request.width, request.height), undefined, request)));
  return { images, seed: seeds[0]!, metadata: diffusionMetadata(outcome, options.model, seeds, { generated_size: `${size.width}×${size.height}` }) };
}

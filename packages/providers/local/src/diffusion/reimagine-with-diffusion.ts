import { untilAborted, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import { decodeRaw, encodeRaw, rawPipeline, readRaw } from '../raw-image.js';
import { toImageError } from '../sharp-error.js';
import { alignmentOf, diffusionMetadata, progressListener, seedsFrom, type DiffusionCallOptions } from './diffusion-call-options.js';
import { planDiffusionSize } from './plan-diffusion-size.js';

/** Image-to-image's default strength when a request gives none (the reimagine feature's default). */
export const defaultStrength = 0.6;

/**
 * Image-to-image on a local diffusion model: the image (transparency flattened on white) is resized to
 * the working size `planDiffusionSize` picks for it, encoded by the VAE, noised to `strength` of the
 * schedule and denoised from there with the prompt; the result is resized back to the image's size and
 * encoded in its format unless asked otherwise. Strength 0 gives the image back through the VAE; 1
 * ignores it.
 */
export async function reimagineWithDiffusion(request: CapabilityRequest<'image-to-image'>, options: DiffusionCallOptions): Promise<CapabilityResult<'image-to-image'>> {
  const folder = await untilAborted(options.models.folder(options.model), options.signal);
  const { image } = request;
  const size = planDiffusionSize(image.width, image.height, { defaultSize: folder.defaultSize, alignment: alignmentOf(folder) });
  const decoded = await decodeRaw(image, options.maxPixels, { depth: 8 });
  let source: Uint8Array;
  try {
    source = (await readRaw(rawPipeline(decoded).flatten({ background: '#ffffff' }).resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' }), false)).pixels as Uint8Array;
  } catch (error) {
    throw toImageError(error);
  }
  const strength = request.strength ?? defaultStrength;
  const seeds = seedsFrom(request.seed, 1);
  const outcome = await options.models.run(options.model, {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    width: size.width,
    height: size.height,
    seeds,
    steps: request.steps,
    guidance: request.guidance,
    image: source,
    strength,
    signal: options.signal,
    onProgress: progressListener(options),
  });
  let result;
  try {
    const generated = rawPipeline({ pixels: outcome.images[0]!, width: size.width, height: size.height, channels: 3 });
    result = size.width === image.width && size.height === image.height ? { pixels: outcome.images[0]!, width: image.width, height: image.height, channels: 3 } : await readRaw(generated.resize(image.width, image.height, { fit: 'fill', kernel: 'lanczos3' }), false);
  } catch (error) {
    throw toImageError(error);
  }
  return { images: [await encodeRaw(result, image, request)], seed: seeds[0]!, metadata: diffusionMetadata(outcome, options.model, seeds, { strength, generated_size: `${size.width}×${size.height}` }) };
}

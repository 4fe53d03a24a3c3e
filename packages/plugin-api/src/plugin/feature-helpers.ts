import { z } from 'zod';
import type { ImageOutputOptions, ImageResultSpec, OutputFormat } from '../spec/capabilities.js';
import type { ProviderCallOptions } from './define-feature.js';
import type { ImageFeatureOutput } from './feature-output.js';

/**
 * Input fields that let a client ask for one provider or model instead of the configured routing.
 *
 * @example
 * input: z.object({ image: imageInput, ...providerChoice })
 */
export const providerChoice = {
  provider: z.string().max(64).optional().describe('Ask for this provider instead of the configured routing'),
  model: z.string().max(200).optional().describe('Ask for this model of the provider'),
};

/** The `provider`/`model` a client asked for, as options for `context.call`. */
export function chosenProvider(input: { provider?: string | undefined; model?: string | undefined }): ProviderCallOptions {
  return { ...(input.provider ? { provider: input.provider } : {}), ...(input.model ? { model: input.model } : {}) };
}

/**
 * The `format`/`background` a client asked for, as fields of a capability request (absent ones left out).
 *
 * @example
 * context.call('upscale', { image, scale: input.scale, ...chosenOutput(input) })
 */
export function chosenOutput(input: { format?: OutputFormat | undefined; background?: string | undefined }): ImageOutputOptions {
  return { ...(input.format ? { format: input.format } : {}), ...(input.background ? { background: input.background } : {}) };
}

/** A provider's image result as a feature's output, with extra metadata merged in. */
export function toFeatureOutput(result: ImageResultSpec & { provider: string; model: string }, metadata: Record<string, unknown> = {}): ImageFeatureOutput {
  return {
    images: result.images,
    provider: result.provider,
    model: result.model,
    ...(result.seed !== undefined ? { seed: result.seed } : {}),
    metadata: { ...result.metadata, ...metadata },
  };
}

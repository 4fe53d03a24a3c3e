import { z } from 'zod';
import type { GenerationOptions, ImageOutputOptions, ImageResultSpec, OutputFormat } from '../spec/capabilities.js';
import { maxPromptLength } from '../spec/max-prompt-length.js';
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

/**
 * Input fields of a generative feature: how it samples (seed 003's `negative_prompt`, `seed`,
 * `num_inference_steps` as `steps`, `guidance_scale` as `guidance`). All optional; a provider maps
 * those it has and ignores the others (see `GenerationOptions`).
 *
 * @example
 * input: z.object({ prompt: z.string(), ...generationOptions, ...outputOptions, ...providerChoice })
 */
export const generationOptions = {
  negative_prompt: z.string().max(maxPromptLength).optional().describe('What the image should not show (generative providers)'),
  seed: z.number().int().min(0).max(2_147_483_647).optional().describe('Seed of the initial noise: the same request and seed give the same image on the same provider and model'),
  steps: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('Denoising steps (num_inference_steps): more is slower and finer; about 20–50, or 1–8 for distilled models (SD-Turbo, LCM). Default: the model\'s'),
  guidance: z
    .number()
    .min(0)
    .max(30)
    .optional()
    .describe('Guidance scale (guidance_scale, CFG): how strictly the image follows the prompt, about 5–9; at most 1 turns guidance off (SD-Turbo). Default: the model\'s'),
};

/**
 * The sampling fields a client sent, as fields of a capability request (absent ones left out).
 *
 * @example
 * context.call('inpaint', { image, mask, ...chosenGeneration(input), ...chosenOutput(input) })
 */
export function chosenGeneration(input: { negative_prompt?: string | undefined; seed?: number | undefined; steps?: number | undefined; guidance?: number | undefined }): GenerationOptions {
  return {
    ...(input.negative_prompt ? { negativePrompt: input.negative_prompt } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(input.steps !== undefined ? { steps: input.steps } : {}),
    ...(input.guidance !== undefined ? { guidance: input.guidance } : {}),
  };
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

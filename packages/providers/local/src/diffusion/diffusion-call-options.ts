import { randomInt } from 'node:crypto';
import type { PixelPool } from '../create-pixel-pool.js';
import type { DiffusionModels, DiffusionOutcome } from './create-diffusion-models.js';
import type { DiffusionModelFolder } from './diffusion-model.js';

/** What a capability call on a local diffusion model gets beside its request. */
export interface DiffusionCallOptions {
  models: DiffusionModels;
  /** The configured model id the provider manager chose. */
  model: string;
  pool: PixelPool;
  maxPixels: number;
  signal: AbortSignal;
  /** The call's progress listener (`ProviderCallContext.progress`), 0..100. */
  progress?: ((percent: number) => void) | undefined;
}

/** Largest seed: seeds are 0..2^31 − 1 (what every feature accepts). */
const seedLimit = 2 ** 31;

/**
 * The seeds of `count` images: `seed`, `seed + 1`, … (wrapping below 2^31), from the request's seed or,
 * without one, a random seed (answered in the result, so the images can be made again).
 */
export function seedsFrom(seed: number | undefined, count: number): number[] {
  const first = seed ?? randomInt(0, seedLimit - 1);
  return Array.from({ length: count }, (_, index) => (first + index) % seedLimit);
}

/** A UNet halves its latents three times (SD, SDXL): working sizes are multiples of 8 latent cells. */
export const alignmentOf = (folder: DiffusionModelFolder): number => folder.vaeScaleFactor * 8;

/** Turns the pipeline's units of work into the call's percent. */
export const progressListener = (options: DiffusionCallOptions) => (done: number, total: number) => options.progress?.((done / total) * 100);

/** What a result's metadata says about the run (the gallery keeps it). */
export function diffusionMetadata(outcome: DiffusionOutcome, model: string, seeds: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { folder } = outcome;
  return {
    method: 'diffusion',
    model,
    family: folder.family,
    inpainting_model: folder.inpainting,
    scheduler: outcome.scheduler,
    steps: outcome.steps,
    guidance: outcome.guidance,
    seeds,
    execution_providers: outcome.executionProviders,
    ...extra,
  };
}

import type { FeatureRunResult, ProviderAttempt } from '@darkroom/core';
import { toWireImageReference, type WireImageReference } from './to-wire-image-reference.js';

/**
 * What a feature run made, as the API writes it (the body of `FeatureResult` without `job_id` and
 * `image_url`, and a feature job's `result`). `metadata` is what the feature reported and
 * `attempts` the provider attempts, both passed through as they are.
 */
export interface WireFeatureResult {
  feature: string;
  images: WireImageReference[];
  provider: string;
  model: string;
  seed?: number;
  metadata: Record<string, unknown>;
  attempts: ProviderAttempt[];
}

/**
 * @example
 * const result = await engine.result(userId, jobId);
 * const body = { job_id: result.jobId, ...toWireFeatureResult(result), image_url: result.images[0]?.url ?? null };
 */
export function toWireFeatureResult(result: FeatureRunResult): WireFeatureResult {
  return {
    feature: result.feature,
    images: result.images.map(toWireImageReference),
    provider: result.provider,
    model: result.model,
    ...(result.seed !== undefined ? { seed: result.seed } : {}),
    metadata: result.metadata,
    attempts: result.attempts,
  };
}

import type { featureResult } from '@darkroom/api';
import type { z } from 'zod';
import type { FeatureRunResult } from '@darkroom/core';
import { toWireImageReference } from './to-wire-image-reference.js';

/**
 * What a feature run made, as the API writes it (the body of `FeatureResult` without `job_id` and
 * `image_url`, and a feature job's `result`). `metadata` is what the feature reported and
 * `attempts` the provider attempts, both passed through as they are.
 */
export type WireFeatureResult = Omit<z.output<typeof featureResult>, 'job_id' | 'image_url'>;

/**
 * A feature's result; its images' URLs under the server's base path (see wireAssetUrl), its
 * `metadata` as the feature reported it.
 *
 * @example
 * const result = await engine.result(userId, jobId);
 * const wire = toWireFeatureResult(result, basePath);
 * const body = { job_id: result.jobId, ...wire, image_url: wire.images[0]?.url ?? null };
 */
export function toWireFeatureResult(result: FeatureRunResult, basePath = ''): WireFeatureResult {
  return {
    feature: result.feature,
    images: result.images.map((image) => toWireImageReference(image, basePath)),
    provider: result.provider,
    model: result.model,
    ...(result.seed !== undefined ? { seed: result.seed } : {}),
    metadata: result.metadata,
    attempts: result.attempts,
  };
}

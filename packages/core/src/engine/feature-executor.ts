import { z } from 'zod';
import { assertOutputSize } from '../images/expected-output-size.js';
import { conformOutput } from '../images/conform-output.js';
import { DarkroomError, type ImageOutputOptions, type AnyFeature, type FeatureContext, type StepCheckpoint } from '@darkroom/plugin-api';
import { defaultImageLimits } from '../images/inspect-image.js';
import type { ProviderAttempt, ProviderManager } from '../providers/provider-manager.js';
import type { FeatureRegistry } from '../registry/feature-registry.js';
import { createId } from '../store/create-id.js';
import type { ImageReference } from '../store/conversation-store.js';
import type { GalleryStore, Origin } from '../store/gallery-store.js';
import type { AssetService } from './asset-service.js';
import { scopeCheckpoint } from '../jobs/scope-checkpoint.js';
import { clampPercent } from '../jobs/clamp-percent.js';
import { featureRunProgress, featureShareOfRun } from './feature-run-progress.js';
import { joinUnitOfWork } from '../store/unit-of-work.js';

/** One image a feature run stored: its asset, its gallery row, and how it is served. */
export type ResultImage = ImageReference;

/**
 * What a feature run produced: the stored images, who made them, and every provider attempt.
 * `metadata` is what the feature reported, as it reported it.
 */
export interface FeatureRunResult {
  feature: string;
  images: ResultImage[];
  provider: string;
  model: string;
  seed?: number;
  metadata: Record<string, unknown>;
  attempts: ProviderAttempt[];
}

export interface ExecuteFeatureOptions {
  feature: string;
  input: unknown;
  userId: string;
  signal: AbortSignal;
  /** `jobId:step`: every asset and gallery row written is keyed by it, so a re-run never duplicates them. */
  effectKey: string;
  /** Where the result came from, recorded in its gallery rows. */
  origin: Origin;
  /** The prompt before refinement (chat) or as given (direct), for the gallery. */
  prompt?: string;
  /**
   * Hears how far the run is, in percent of the run (0..100), strictly increasing: the stages in
   * {@link featureRunProgress}, with the feature's own reports mapped between them.
   */
  onProgress?: (percent: number) => void;
  /** The running step's checkpoint: providers save their task ids in it before waiting. */
  checkpoint?: StepCheckpoint;
}

export function invalidInputError(feature: AnyFeature, error: z.ZodError): DarkroomError {
  return new DarkroomError({
    code: 'invalid_input',
    message: `Invalid input for ${feature.id}: ${z.prettifyError(error).replace(/\n/g, '; ')}`,
    details: { issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code })) },
  });
}

/** Runs one feature: validates input, calls providers through the feature, validates output, stores images, records the gallery. */
export class FeatureExecutor {
  constructor(
    private readonly registry: FeatureRegistry,
    private readonly providers: ProviderManager,
    private readonly assets: AssetService,
    private readonly gallery: GalleryStore,
    private readonly maxOutputPixels: number = defaultImageLimits.maxOutputPixels,
  ) {}

  /** Parses input with the feature's schema; a failure is an `invalid_input` error listing each problem. */
  parseInput(featureId: string, input: unknown): { feature: AnyFeature; input: unknown } {
    const feature = this.registry.get(featureId);
    const parsed = feature.input.safeParse(input);
    if (!parsed.success) throw invalidInputError(feature, parsed.error);
    return { feature, input: parsed.data };
  }

  async execute(options: ExecuteFeatureOptions): Promise<FeatureRunResult> {
    const { feature, input } = this.parseInput(options.feature, options.input);
    let reached = 0;
    const report = (percent: number) => {
      if (percent <= reached) return;
      reached = percent;
      options.onProgress?.(percent);
    };
    report(featureRunProgress.inputValidated);
    const attempts: ProviderAttempt[] = [];
    let calls = 0;
    const context: FeatureContext = {
      userId: options.userId,
      signal: options.signal,
      images: { load: (image) => this.assets.load(options.userId, image) },
      call: async (capability, request, { onProgress, ...callOptions } = {}) => {
        // Calls are numbered in the order the feature makes them, the same on every re-run.
        const checkpoint = options.checkpoint ? { checkpoint: scopeCheckpoint(options.checkpoint, `call-${calls}`) } : {};
        calls += 1;
        assertOutputSize(capability, request, this.maxOutputPixels);
        report(featureRunProgress.providerCalled);
        // The provider's progress of this call is the feature's own unless the feature maps it (several calls).
        const callProgress = onProgress ?? ((percent: number) => context.progress(percent));
        const outcome = await this.providers.call(capability, request, { ...callOptions, signal: options.signal, ...checkpoint, onProgress: callProgress }).catch((error: unknown) => {
          if (DarkroomError.isInstance(error) && Array.isArray(error.details?.attempts)) attempts.push(...(error.details.attempts as ProviderAttempt[]));
          throw error;
        });
        attempts.push(...outcome.attempts);
        const result = 'images' in outcome.result ? await conformOutput(outcome.result, request as ImageOutputOptions) : outcome.result;
        return { ...result, provider: outcome.provider, model: outcome.model };
      },
      progress: (percent) => {
        const value = clampPercent(percent);
        if (value !== undefined) report(featureShareOfRun(value));
      },
    };
    const raw = await feature.run(input as never, context);
    const parsed = feature.output.safeParse(raw);
    if (!parsed.success) {
      throw new DarkroomError({ code: 'internal', message: `Feature ${feature.id} returned an invalid result`, details: { issues: parsed.error.issues.length } });
    }
    const output = parsed.data;
    report(featureRunProgress.providerAnswered);
    // Files first; then their rows and gallery entries join the step's unit of work, committed with the step's end.
    const files = await Promise.all(output.images.map((image) => this.assets.storeFile(image)));
    joinUnitOfWork();
    const images: ResultImage[] = [];
    for (const [index, image] of output.images.entries()) {
      const effectKey = `${options.effectKey}:image-${index}`;
      const asset = await this.assets.record(options.userId, image, files[index]!, { effectKey });
      const record = await this.gallery.insertOnce({
        id: createId('img'),
        userId: options.userId,
        assetId: asset.id,
        imageUrl: asset.url,
        refinedPrompt: output.prompt ?? (typeof (input as { prompt?: unknown }).prompt === 'string' ? (input as { prompt: string }).prompt : (options.prompt ?? null)),
        intent: feature.intents.name,
        feature: feature.id,
        provider: output.provider,
        model: output.model,
        seed: output.seed ?? null,
        origin: options.origin,
        metadata: {
          ...output.metadata,
          ...(options.prompt ? { original_prompt: options.prompt } : {}),
          ...(asset.remoteId ? { storage: { id: asset.remoteId, url: asset.remoteUrl } } : {}),
        },
        effectKey,
        createdAt: Date.now(),
      });
      images.push({ assetId: asset.id, galleryId: record.id, url: asset.url, width: asset.width, height: asset.height, mimeType: asset.mimeType });
      const { providerAnswered, resultStored } = featureRunProgress;
      report(providerAnswered + ((resultStored - providerAnswered) * (index + 1)) / output.images.length);
    }
    return {
      feature: feature.id,
      images,
      provider: output.provider,
      model: output.model,
      ...(output.seed !== undefined ? { seed: output.seed } : {}),
      metadata: output.metadata,
      attempts,
    };
  }
}

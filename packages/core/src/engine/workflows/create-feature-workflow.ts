import { defineWorkflow } from '../../jobs/define-workflow.js';
import type { FeatureExecutor, FeatureRunResult } from '../feature-executor.js';

export interface FeatureJobInput {
  feature: string;
  /** Validated input with images already moved to asset storage. */
  input: unknown;
}

/** A direct feature call as a one-step job (`source: "direct"` in the gallery). */
export function createFeatureWorkflow(executor: FeatureExecutor) {
  return defineWorkflow<FeatureJobInput, FeatureRunResult>({
    kind: 'feature',
    async run(context) {
      const { feature, input } = context.input;
      return context.step(`run:${feature}`, ({ signal, checkpoint }) =>
        executor.execute({
          feature,
          input,
          userId: context.job.userId,
          signal,
          checkpoint,
          effectKey: `${context.job.id}:run`,
          origin: { source: 'direct' },
          ...(typeof (input as { prompt?: unknown }).prompt === 'string' ? { prompt: (input as { prompt: string }).prompt } : {}),
          // The job's percent is the run's: featureRunProgress's stages, then 100 when it succeeds.
          onProgress: (percent) => void context.progress(Math.round(percent)).catch(() => undefined),
        }),
      );
    },
  });
}

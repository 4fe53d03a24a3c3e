import type { ProviderManager } from '../providers/provider-manager.js';
import type { PromptRefiner } from './prompt-refiner.js';

/**
 * Prompt refinement by whichever provider offers `refine-prompt`; validation, suggestions and the
 * default negative terms stay rule-based. Falls back to the rule-based refiner when none answers.
 */
export function createProviderRefiner(providers: ProviderManager, fallback: PromptRefiner): PromptRefiner {
  return {
    name: 'provider',
    validate: (prompt) => fallback.validate(prompt),
    async refine(prompt, context = {}) {
      const base = await fallback.refine(prompt, context);
      if (!providers.offers('refine-prompt')) return base;
      const started = performance.now();
      const signal = AbortSignal.any([AbortSignal.timeout(60_000), ...(context.signal ? [context.signal] : [])]);
      try {
        const answer = await providers.call('refine-prompt', { prompt, ...(context.style ? { style: context.style } : {}) }, { signal });
        const negative = [answer.result.negative, base.negativePrompt].filter(Boolean).join(', ');
        return {
          ...base,
          refinedPrompt: answer.result.refined.trim() || base.refinedPrompt,
          negativePrompt: negative,
          methodUsed: `${answer.provider}:${answer.model}`,
          confidenceScore: 0.9,
          durationMs: Number((performance.now() - started).toFixed(1)),
        };
      } catch {
        context.signal?.throwIfAborted();
        return base;
      }
    },
  };
}

import type { ProviderManager } from '../providers/provider-manager.js';
import { toFeatureTool } from '../registry/feature-registry.js';
import { looksVietnamese } from './fold-text.js';
import type { DetectedStep, IntentDetector } from './intent-detector.js';

/**
 * Intent detection by whichever provider offers the `intent` capability (Gemini, Parasail…): every
 * registered feature is a tool declared from its input JSON schema; several calls in one answer are
 * a multi-step plan, in order. When no such provider can answer, the fallback detector decides.
 */
export function createProviderDetector(providers: ProviderManager, fallback: IntentDetector): IntentDetector {
  return {
    name: 'provider',
    async detect(message, context) {
      if (!providers.offers('intent')) return fallback.detect(message, context);
      const signal = AbortSignal.any([AbortSignal.timeout(60_000), ...(context.signal ? [context.signal] : [])]);
      let answer;
      try {
        answer = await providers.call('intent', { message, tools: context.features.map(toFeatureTool) }, { signal });
      } catch {
        // A cancelled job stops here; a provider that cannot answer hands over to the fallback.
        context.signal?.throwIfAborted();
        return fallback.detect(message, context);
      }
      const byId = new Map(context.features.map((feature) => [feature.id, feature]));
      const steps: DetectedStep[] = [];
      for (const call of answer.result.calls) {
        const feature = byId.get(call.name);
        if (!feature) continue;
        const { promptField, imageField } = feature.chat;
        const args = { ...call.args };
        const text = promptField && typeof args[promptField] === 'string' ? String(args[promptField]) : '';
        if (promptField) delete args[promptField];
        steps.push({ feature: feature.id, intent: feature.intents.name, confidence: 0.9, input: args, text, refersToImage: Boolean(imageField) });
      }
      return { steps, confidence: steps.length > 0 ? 0.9 : 0, detector: `${answer.provider}:${answer.model}`, language: looksVietnamese(message) ? 'vi' : 'en' };
    },
  };
}

import type { AnyFeature, ToolSpec } from '@darkroom/plugin-api';
import type { ProviderManager } from '../providers/provider-manager.js';
import { toFeatureTool } from '../registry/feature-registry.js';
import { looksVietnamese } from './fold-text.js';
import type { DetectedStep, IntentDetector } from './intent-detector.js';
import { stepHintProperties, stepHints } from './intent-instruction.js';

/** Confidence of a call whose model gave none. */
const defaultConfidence = 0.9;

/** The feature as a tool, with the step hints a feature does not already use as input fields. */
function toolWithHints(feature: AnyFeature): ToolSpec {
  const tool = toFeatureTool(feature);
  const properties = (tool.parameters.properties ?? {}) as Record<string, unknown>;
  const hints = Object.fromEntries(Object.entries(stepHintProperties).filter(([name]) => !(name in properties)));
  return { ...tool, parameters: { type: 'object', ...tool.parameters, properties: { ...properties, ...hints } } };
}

/** Takes a hint out of the arguments when the tool declared it (the feature has no field of that name). */
function takeHint(args: Record<string, unknown>, feature: AnyFeature, name: string): unknown {
  const shape = (feature.input as { shape?: Record<string, unknown> }).shape;
  if (shape && name in shape) return undefined;
  const value = args[name];
  delete args[name];
  return value;
}

/**
 * Intent detection by whichever provider offers the `intent` capability (Gemini, Parasail…): every
 * registered feature is a tool declared from its input JSON schema, with its examples, keywords and
 * whether it works on the image at hand; the request carries the images at hand and the user's
 * language. Several calls in one answer are a multi-step plan, in order. Each call may say whether
 * it asks for a new picture, refers to an image and how sure the model is ({@link stepHints}); the
 * steps carry those, the prompt field's words as `text` and the language of the message. When no
 * such provider can answer, the fallback detector decides.
 *
 * @example
 * const detector = createProviderDetector(providers, createRuleBasedDetector());
 * await detector.detect('xóa nền ảnh này', { features, images: { image: 'attached', mask: false } });
 */
export function createProviderDetector(providers: ProviderManager, fallback: IntentDetector): IntentDetector {
  return {
    name: 'provider',
    async detect(message, context) {
      if (!providers.offers('intent')) return fallback.detect(message, context);
      const signal = AbortSignal.any([AbortSignal.timeout(60_000), ...(context.signal ? [context.signal] : [])]);
      const language = looksVietnamese(message) ? 'vi' : 'en';
      let answer;
      try {
        const request = { message, tools: context.features.map(toolWithHints), language, ...(context.images ? { images: context.images } : {}), ...(context.history?.length ? { history: context.history } : {}) } as const;
        answer = await providers.call('intent', request, { signal });
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
        const { promptField, negativePromptField, imageField, targetField } = feature.chat;
        const args = { ...call.args };
        const asksForNew = takeHint(args, feature, stepHints.asksForNew);
        const refersToImage = takeHint(args, feature, stepHints.refersToImage);
        const confidence = takeHint(args, feature, stepHints.confidence);
        // The words naming what to act on are the step's text when there is no prompt (as the rule-based detector fills it).
        const textField = promptField ?? targetField;
        const text = textField && typeof args[textField] === 'string' ? String(args[textField]) : '';
        if (promptField) delete args[promptField];
        // A mask sent with the message says what to act on: the model's words for it would be a second answer.
        if (targetField && context.images?.mask) delete args[targetField];
        const negativePrompt = negativePromptField && typeof args[negativePromptField] === 'string' ? String(args[negativePromptField]).trim() : '';
        if (negativePromptField) delete args[negativePromptField];
        steps.push({
          feature: feature.id,
          intent: feature.intents.name,
          confidence: typeof confidence === 'number' && Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : defaultConfidence,
          input: args,
          text,
          ...(negativePrompt ? { negativePrompt } : {}),
          // Unsaid: a feature that works on an image is taken to mean the image at hand.
          refersToImage: typeof refersToImage === 'boolean' ? refersToImage : Boolean(imageField),
          ...(typeof asksForNew === 'boolean' ? { asksForNew } : {}),
        });
      }
      const confidence = steps.length === 0 ? 0 : Math.min(...steps.map((step) => step.confidence));
      return { steps, confidence, detector: `${answer.provider}:${answer.model}`, language };
    },
  };
}

import type { ChatPlan, PlanStep } from '../intent/intent-router.js';

/** A chat plan as stored before `ChatPlan` was camelCase. */
export interface SnakeCaseChatPlan extends Omit<ChatPlan, 'steps' | 'refinedPrompt' | 'negativePrompt'> {
  steps: Array<Omit<PlanStep, 'image'> & { image?: { asset_id: string } | { step: number } }>;
  refined_prompt?: string;
  negative_prompt?: string;
}

type EitherStep = PlanStep | SnakeCaseChatPlan['steps'][number];

const renameStep = (step: EitherStep): PlanStep => {
  if (!step.image || !('asset_id' in step.image)) return step as PlanStep;
  const { asset_id: assetId, ...rest } = step.image;
  return { ...step, image: { ...rest, assetId } };
};

/**
 * A chat plan (a chat job's `result.plan`, its `plan` step's output) in today's shape, whether it was
 * stored before `ChatPlan` was camelCase or since: `refined_prompt`, `negative_prompt` and a step's
 * `image.asset_id` become `refinedPrompt`, `negativePrompt` and `image.assetId`. Everything else is
 * kept as it is, absent fields stay absent, and a step's `input` (the feature's own input format,
 * e.g. `{ mask: { asset_id } }`) keeps its names.
 *
 * @example
 * renameChatPlan({ intents: [], steps: [{ feature: 'upscale', intent: 'image_upscale', confidence: 0.9, input: {}, image: { asset_id: 'ast_1' } }], refined_prompt: 'a cat' });
 * // { intents: [], steps: [{ …, image: { assetId: 'ast_1' } }], refinedPrompt: 'a cat' }
 */
export function renameChatPlan(plan: ChatPlan | SnakeCaseChatPlan): ChatPlan {
  const { refined_prompt: refinedPrompt, negative_prompt: negativePrompt, ...rest } = plan as SnakeCaseChatPlan & ChatPlan;
  return {
    ...rest,
    ...(Array.isArray(rest.steps) ? { steps: (rest.steps as EitherStep[]).map(renameStep) } : {}),
    ...(refinedPrompt !== undefined && rest.refinedPrompt === undefined ? { refinedPrompt } : {}),
    ...(negativePrompt !== undefined && rest.negativePrompt === undefined ? { negativePrompt } : {}),
  };
}

/**
 * The JSON text of a chat job's result (`{ plan, images }`) or of its `plan` step's output (the plan
 * itself), with the plan in today's shape (see {@link renameChatPlan}); other text comes back unchanged.
 *
 * @example
 * renameChatPlanText('{"plan":{"steps":[],"refined_prompt":"a cat"},"images":[]}');
 * // '{"plan":{"steps":[],"refinedPrompt":"a cat"},"images":[]}'
 */
export function renameChatPlanText(text: string): string {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null) return text;
  const { plan, steps } = value as { plan?: unknown; steps?: unknown };
  if (typeof plan === 'object' && plan !== null) return JSON.stringify({ ...value, plan: renameChatPlan(plan as SnakeCaseChatPlan) });
  if (Array.isArray(steps)) return JSON.stringify(renameChatPlan(value as SnakeCaseChatPlan));
  return text;
}

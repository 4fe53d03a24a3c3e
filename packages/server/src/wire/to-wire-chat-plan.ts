import { renameChatPlan, type ChatPlan, type DetectedIntentRecord, type PlanStep, type SnakeCaseChatPlan } from '@darkroom/core';

/** A plan step as the API writes it: its `input` is the feature's own input, passed through as it is. */
export interface WirePlanStep {
  feature: string;
  intent: string;
  confidence: number;
  input: Record<string, unknown>;
  image?: { asset_id: string } | { step: number };
}

/** What the intent router decided for a chat message, as the API writes it (a chat job's `result.plan`). */
export interface WireChatPlan {
  steps: WirePlanStep[];
  intents: DetectedIntentRecord[];
  confidence: number;
  detector: string;
  language: ChatPlan['language'];
  refined_prompt?: string;
  negative_prompt?: string;
  clarification?: string;
}

const toWirePlanStep = ({ image, ...same }: PlanStep): WirePlanStep => ({
  ...same,
  ...(image ? { image: 'assetId' in image ? { asset_id: image.assetId } : { step: image.step } } : {}),
});

/**
 * A chat plan, stored in today's camelCase shape or in the snake_case one written before (a job
 * result kept by a queue that migrations do not reach), in the wire format. Fields named alike in
 * both (`intents`, `confidence`, `detector`, `language`, `clarification`) are written as they are,
 * and only when present.
 *
 * @example
 * toWireChatPlan(chatResult.plan).refined_prompt;
 */
export function toWireChatPlan(stored: ChatPlan | SnakeCaseChatPlan): WireChatPlan {
  const { steps, refinedPrompt, negativePrompt, ...same } = renameChatPlan(stored);
  return {
    ...same,
    steps: steps.map(toWirePlanStep),
    ...(refinedPrompt !== undefined ? { refined_prompt: refinedPrompt } : {}),
    ...(negativePrompt !== undefined ? { negative_prompt: negativePrompt } : {}),
  };
}

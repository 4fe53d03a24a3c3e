import type { ChatPlan, SnakeCaseChatPlan } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { toWireChatPlan } from './to-wire-chat-plan.js';

const intents = [{ intent: 'image_generate', feature: 'paint', confidence: 0.9, parameters: { prompt: 'a boat' } }];
const paint = { feature: 'paint', intent: 'image_generate', confidence: 0.9, input: { prompt: 'a boat, detailed', negative_prompt: 'blur' } };
const erase = { feature: 'erase', intent: 'object_removal', confidence: 0.8, input: { mask: { asset_id: 'ast_mask' } } };
const base = { intents, confidence: 0.9, detector: 'rule-based', language: 'en' } as const;

const wire = {
  ...base,
  steps: [paint, { ...erase, image: { step: 0 } }, { ...erase, image: { asset_id: 'ast_photo' } }],
  refined_prompt: 'a boat, detailed',
  negative_prompt: 'blur',
};

describe('chat plan wire format', () => {
  it("writes the plan's prompts and step images in snake_case, the features' inputs as they are", () => {
    const plan: ChatPlan = { ...base, steps: [paint, { ...erase, image: { step: 0 } }, { ...erase, image: { assetId: 'ast_photo' } }], refinedPrompt: 'a boat, detailed', negativePrompt: 'blur' };
    expect(toWireChatPlan(plan)).toStrictEqual(wire);
  });

  it('writes a plan stored before ChatPlan was camelCase the same way', () => {
    const stored: SnakeCaseChatPlan = { ...base, steps: [paint, { ...erase, image: { step: 0 } }, { ...erase, image: { asset_id: 'ast_photo' } }], refined_prompt: 'a boat, detailed', negative_prompt: 'blur' };
    expect(toWireChatPlan(stored)).toStrictEqual(wire);
  });

  it('writes a clarification, with no prompts when none was refined', () => {
    const asked: ChatPlan = { ...base, steps: [], clarification: 'Which image should I use?' };
    expect(toWireChatPlan(asked)).toStrictEqual({ ...base, steps: [], clarification: 'Which image should I use?' });
  });
});

import { describe, expect, it } from 'vitest';
import type { ChatPlan } from '../intent/intent-router.js';
import { renameChatPlan, renameChatPlanText, type SnakeCaseChatPlan } from './rename-chat-plan.js';

const intents = [{ intent: 'image_generate', feature: 'paint', confidence: 0.9 }];
const base = { intents, confidence: 0.9, detector: 'rule-based', language: 'en' } as const;
// A step's input is the feature's own input: its snake_case names stay.
const paint = { feature: 'paint', intent: 'image_generate', confidence: 0.9, input: { prompt: 'a boat, detailed', negative_prompt: 'blur' } };
const erase = { feature: 'erase', intent: 'object_removal', confidence: 0.8, input: { mask: { asset_id: 'ast_mask' } }, image: { step: 0 } };
const enlarge = { feature: 'enlarge', intent: 'image_upscale', confidence: 0.8, input: { scale: 2 } };

const snake: SnakeCaseChatPlan = { ...base, steps: [paint, erase, { ...enlarge, image: { asset_id: 'ast_photo' } }], refined_prompt: 'a boat, detailed', negative_prompt: 'blur' };
const camel: ChatPlan = { ...base, steps: [paint, erase, { ...enlarge, image: { assetId: 'ast_photo' } }], refinedPrompt: 'a boat, detailed', negativePrompt: 'blur' };

describe('renameChatPlan', () => {
  it("renames a snake_case plan's prompts and step images, not the features' inputs", () => {
    expect(renameChatPlan(snake)).toStrictEqual(camel);
  });

  it('keeps a plan in today\'s shape as it is, and absent fields absent', () => {
    expect(renameChatPlan(camel)).toStrictEqual(camel);
    const asked: ChatPlan = { intents: [], confidence: 0.2, detector: 'rule-based', language: 'vi', steps: [], clarification: 'Bạn muốn làm gì?' };
    expect(renameChatPlan(asked)).toStrictEqual(asked);
  });
});

describe('renameChatPlanText', () => {
  it("rewrites a chat result's plan and a plan step's output, keeping the rest", () => {
    const images = [{ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 2, mimeType: 'image/png', feature: 'paint' }];
    expect(JSON.parse(renameChatPlanText(JSON.stringify({ plan: snake, images })))).toStrictEqual({ plan: camel, images });
    expect(JSON.parse(renameChatPlanText(JSON.stringify(snake)))).toStrictEqual(camel);
  });

  it('leaves text without a plan as it is', () => {
    for (const text of ['null', '{"ok":true}', '{"plan":null}', '[1]']) expect(renameChatPlanText(text)).toBe(text);
  });
});

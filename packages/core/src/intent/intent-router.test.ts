import { describe, expect, it, vi } from 'vitest';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import { FeatureRegistry, toFeatureTool } from '../registry/feature-registry.js';
import { enlargeFeature, paintFeature } from '../testing/test-plugin.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';
import type { IntentDetector } from './intent-detector.js';
import { defaultMaxStepsPerTurn, IntentRouter } from './intent-router.js';

const registry = new FeatureRegistry([paintFeature, enlargeFeature]);
const router = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner());

describe('intent router', () => {
  it('chains steps: the second step takes the first step\'s image', async () => {
    const plan = await router.plan('paint a sunset without people, then upscale it', {});
    expect(plan.clarification).toBeUndefined();
    expect(plan.steps[0]).toMatchObject({ feature: 'paint', input: { prompt: expect.stringContaining('a sunset'), negative_prompt: expect.stringMatching(/^people, /) } });
    expect(plan.steps[1]).toMatchObject({ feature: 'enlarge', image: { step: 0 } });
    expect(plan.refinedPrompt).toMatch(/golden hour/);
    expect(plan.intents).toEqual([expect.objectContaining({ intent: 'image_generate' }), expect.objectContaining({ intent: 'image_upscale' })]);
  });

  it('resolves "it" to the context image', async () => {
    const plan = await router.plan('upscale it 4x', { contextImageId: 'ast_latest' });
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'enlarge', input: { scale: 4 }, image: { assetId: 'ast_latest' } })]);
  });

  it('asks which image when there is none', async () => {
    const plan = await router.plan('upscale it', {});
    expect(plan.steps).toEqual([]);
    expect(plan.clarification).toMatch(/Which image/);
  });

  it('asks a clarifying question listing what it can do below the threshold, in the user\'s language', async () => {
    const english = await router.plan('what is the weather', {});
    expect(english.steps).toEqual([]);
    expect(english.clarification).toContain('Paint a picture');
    expect(english.clarification).toContain('Enlarge an image');
    const vietnamese = await router.plan('thời tiết thế nào', {});
    expect(vietnamese.clarification).toMatch(/^Mình chưa chắc/);
  });

  it('describes each feature as a tool whose parameters are its input JSON schema, without the image field', () => {
    const tool = toFeatureTool(enlargeFeature);
    expect(tool).toMatchObject({ name: 'enlarge', description: 'Enlarge an image', parameters: { type: 'object', properties: { scale: expect.any(Object) } } });
    expect(tool.parameters.properties).not.toHaveProperty('image');
    expect(toFeatureTool(paintFeature).parameters).toMatchObject({ required: ['prompt'], properties: { prompt: { type: 'string', minLength: 1 } } });
    expect(registry.tools().map((entry) => entry.name)).toEqual(['paint', 'enlarge']);
  });

  describe('steps per turn', () => {
    const attack = 'create a cat and upscale it and '.repeat(125).trim();

    it('refuses a 4,000-character message of 250 steps with a reply to split it, fast, without refining a prompt', async () => {
      const refine = vi.fn();
      const capped = new IntentRouter(registry, createRuleBasedDetector(), { refine, validate: vi.fn() } as never);
      const started = performance.now();
      const plan = await capped.plan(attack, {});
      expect(performance.now() - started).toBeLessThan(1500);
      expect(plan.steps).toEqual([]);
      expect(plan.intents).toHaveLength(250);
      expect(plan.clarification).toBe(`This message asks for 250 steps (paint ×125, enlarge ×125); I run at most ${defaultMaxStepsPerTurn} steps per message. Please split the request into messages of at most ${defaultMaxStepsPerTurn} steps each.`);
      expect(refine).not.toHaveBeenCalled();
      expect(capped.cost(await capped.detect(attack))).toBe(1);
    });

    it('runs exactly the cap, and costs one unit per step', async () => {
      const message = 'paint a cat, then upscale it, then upscale it, then upscale it';
      const plan = await router.plan(message, {});
      expect(plan.clarification).toBeUndefined();
      expect(plan.steps.map((step) => step.feature)).toEqual(['paint', 'enlarge', 'enlarge', 'enlarge']);
      expect(router.cost(await router.detect(message))).toBe(4);
      const tighter = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner(), 0.5, 3);
      expect((await tighter.plan(message, {})).clarification).toMatch(/asks for 4 steps .*at most 3 steps/);
    });

    it('caps a language-model detector\'s plan the same way, and plans from a detection made earlier', async () => {
      const detect = vi.fn<IntentDetector['detect']>(async () => ({
        steps: Array.from({ length: 6 }, () => ({ feature: 'enlarge', intent: 'image_upscale', confidence: 0.9, input: {}, text: '', refersToImage: true })),
        confidence: 0.9,
        detector: 'llm:test',
        language: 'vi',
      }));
      const llm = new IntentRouter(registry, { name: 'llm', detect }, createRuleBasedRefiner());
      const detection = await llm.detect('phóng to ảnh này sáu lần');
      const plan = await llm.plan('phóng to ảnh này sáu lần', { contextImageId: 'ast_1', detection });
      expect(detect).toHaveBeenCalledTimes(1);
      expect(plan).toMatchObject({ steps: [], detector: 'llm:test', intents: expect.arrayContaining([expect.objectContaining({ feature: 'enlarge' })]) });
      expect(plan.clarification).toMatch(/^Tin nhắn này yêu cầu 6 bước \(enlarge ×6\); .*tối đa 4 bước/);
    });
  });
});

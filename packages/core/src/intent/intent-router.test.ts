import { describe, expect, it } from 'vitest';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import { FeatureRegistry, toFeatureTool } from '../registry/feature-registry.js';
import { enlargeFeature, paintFeature } from '../testing/test-plugin.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';
import { IntentRouter } from './intent-router.js';

const registry = new FeatureRegistry([paintFeature, enlargeFeature]);
const router = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner());

describe('intent router', () => {
  it('chains steps: the second step takes the first step\'s image', async () => {
    const plan = await router.plan('paint a sunset without people, then upscale it', {});
    expect(plan.clarification).toBeUndefined();
    expect(plan.steps[0]).toMatchObject({ feature: 'paint', input: { prompt: expect.stringContaining('a sunset'), negative_prompt: expect.stringMatching(/^people, /) } });
    expect(plan.steps[1]).toMatchObject({ feature: 'enlarge', image: { step: 0 } });
    expect(plan.refined_prompt).toMatch(/golden hour/);
    expect(plan.intents).toEqual([expect.objectContaining({ intent: 'image_generate' }), expect.objectContaining({ intent: 'image_upscale' })]);
  });

  it('resolves "it" to the context image', async () => {
    const plan = await router.plan('upscale it 4x', { contextImageId: 'ast_latest' });
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'enlarge', input: { scale: 4 }, image: { asset_id: 'ast_latest' } })]);
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
});

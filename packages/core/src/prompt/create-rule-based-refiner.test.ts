import { textLength } from '@darkroom/plugin-api';
import { describe, expect, it } from 'vitest';
import { createRuleBasedRefiner } from './create-rule-based-refiner.js';

const refiner = createRuleBasedRefiner();

describe('rule-based refiner', () => {
  it('adds quality, subject and style keywords and a negative prompt', async () => {
    const result = await refiner.refine('a cat', { style: 'watercolor', negativePrompt: 'dogs' });
    expect(result.refinedPrompt).toBe('a cat, watercolor painting, soft washes, paper texture, detailed fur, expressive eyes, highly detailed, sharp focus, high quality');
    expect(result.negativePrompt).toBe('dogs, blurry, low quality, distorted, watermark, text artifacts');
    expect(result).toMatchObject({ originalPrompt: 'a cat', methodUsed: 'rule_based', metadata: { style: 'watercolor' } });
    expect(result.suggestions.length).toBeGreaterThan(0);
  });

  it('does not repeat what the prompt already says', async () => {
    const result = await refiner.refine('a highly detailed photorealistic portrait at golden hour');
    expect(result.refinedPrompt.match(/highly detailed/g)).toHaveLength(1);
    expect(result.metadata.style).toBe('realistic');
  });

  it('adds English words for Vietnamese subjects', async () => {
    expect((await refiner.refine('hoàng hôn trên núi')).refinedPrompt).toMatch(/^hoàng hôn trên núi \(sunset, mountains\)/);
  });

  it('validates prompts', async () => {
    expect(await refiner.validate('')).toMatchObject({ valid: false, issues: ['The prompt is empty'] });
    expect((await refiner.validate('x'.repeat(2001))).valid).toBe(false);
    expect((await refiner.validate('!!!')).issues).toContain('The prompt has no words');
    expect(await refiner.validate('a misty forest at dawn with soft light, cinematic')).toMatchObject({ valid: true, issues: [], wordCount: 9 });
  });

  it('counts characters as the API schemas do (code points), and cuts a refined prompt without splitting one', async () => {
    expect(await refiner.validate(`rings ${'💍'.repeat(1994)}`)).toMatchObject({ valid: true, characterCount: 2000 });
    expect((await refiner.validate(`rings ${'💍'.repeat(1995)}`)).issues).toContain('The prompt is 2001 characters (Unicode code points) long; the limit is 2000: shorten it');
    const refined = (await refiner.refine(`a ring ${'💍'.repeat(2100)}`)).refinedPrompt;
    expect(textLength(refined)).toBe(2000);
    expect(refined.isWellFormed()).toBe(true);
  });
});

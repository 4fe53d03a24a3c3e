import { describe, expect, it } from 'vitest';
import { enlargeFeature, paintFeature } from '../testing/test-plugin.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';
import { extractNegativePrompt } from './extract-negative-prompt.js';

const features = [paintFeature, enlargeFeature];
const detect = (message: string) => createRuleBasedDetector().detect(message, { features });

describe('rule-based detector', () => {
  it('splits a multi-step request in order', async () => {
    const detection = await detect('create a sunset over mountains, then upscale it 4x');
    expect(detection.steps.map((step) => step.feature)).toEqual(['paint', 'enlarge']);
    expect(detection.steps[0]!.text).toBe('a sunset over mountains');
    expect(detection.steps[1]).toMatchObject({ input: { scale: 4 }, refersToImage: true });
    expect(detection.confidence).toBeGreaterThan(0.7);
  });

  it('splits on "and" only when a command follows', async () => {
    expect((await detect('paint a cat and enlarge it')).steps.map((step) => step.feature)).toEqual(['paint', 'enlarge']);
    expect((await detect('paint a cat and a dog')).steps).toHaveLength(1);
  });

  it('understands Vietnamese, with and without diacritics', async () => {
    const withMarks = await detect('tạo ảnh hoàng hôn rồi phóng to nó');
    expect(withMarks.language).toBe('vi');
    expect(withMarks.steps.map((step) => [step.feature, step.text])).toEqual([['paint', 'hoàng hôn'], ['enlarge', '']]);
    expect(withMarks.steps[1]!.refersToImage).toBe(true);
    expect((await detect('tao anh hoang hon')).steps[0]).toMatchObject({ feature: 'paint', text: 'hoang hon' });
  });

  it('extracts negative prompts for features that take one', async () => {
    const [step] = (await detect('paint a beach at dusk without people, no text')).steps;
    expect(step).toMatchObject({ text: 'a beach at dusk', negativePrompt: 'people, text' });
  });

  it('recognises nothing in small talk', async () => {
    expect(await detect('hello, how are you?')).toMatchObject({ steps: [], confidence: 0 });
  });

  it('is less confident when two features match equally', async () => {
    const confident = await detect('enlarge it');
    const torn = await detect('the upscale paint');
    expect(torn.confidence).toBeLessThan(confident.confidence);
    expect(torn.confidence).toBeLessThan(0.5);
  });
});

describe('negative prompt extraction', () => {
  it.each([
    ['a street without cars', 'a street', 'cars'],
    ['a portrait, no text, no watermark', 'a portrait', 'text, watermark'],
    ['cảnh biển không có người', 'cảnh biển', 'người'],
    ['a quiet lake', 'a quiet lake', undefined],
  ])('%s', (input, text, negative) => {
    expect(extractNegativePrompt(input)).toEqual(negative ? { text, negative } : { text });
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFeature, imageInput } from '@darkroom/plugin-api';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import { FeatureRegistry } from '../registry/feature-registry.js';
import { enlargeFeature, paintFeature } from '../testing/test-plugin.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';
import { IntentRouter } from './intent-router.js';

// Edit features shaped like the real plugins (issue 11: how people really ask).
const imageEdit = (id: string, keywords: string[], extra: Record<string, unknown> = {}) =>
  defineFeature({
    id,
    description: `${id} an image`,
    capability: 'upscale',
    intents: { name: `image_${id}`, keywords, examples: [keywords[0]!] },
    chat: { imageField: 'image', ...extra },
    input: z.object({ image: imageInput, mask: imageInput.optional() }),
    async run() {
      throw new Error('not run in these tests');
    },
  });

const cutoutFeature = imageEdit('cutout', ['remove the background', 'remove background', 'cut out', 'xóa nền', 'tách nền']);
const eraseFeature = imageEdit('erase', ['remove', 'erase', 'get rid of', 'delete', 'watermark', 'xóa', 'xoá', 'loại bỏ', 'bỏ'], { maskField: 'mask' });
const sharpenFeature = imageEdit('sharpen', ['sharpen', 'blur', 'blurry', 'less blurry', 'noise', 'haze', 'làm nét', 'nét hơn', 'mờ', 'nhiễu']);
const stylizeFeature = imageEdit('stylize', ['sepia', 'oil painting', 'watercolor', 'black and white', 'đen trắng', 'sơn dầu']);
const hdFeature = imageEdit('hd', ['hd', '4k', 'resolution']);

const registry = new FeatureRegistry([paintFeature, enlargeFeature, cutoutFeature, eraseFeature, sharpenFeature, stylizeFeature, hdFeature]);
const router = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner());
const withPhoto = { contextImageId: 'ast_photo' };
const firstFeature = async (message: string, context = {}) => {
  const plan = await router.plan(message, context);
  return plan.steps[0]?.feature ?? plan.intents[0]?.feature;
};

describe('understanding real requests (issue 11)', () => {
  describe('a bare description with no photo creates that picture', () => {
    it.each([
      'a red fox sitting in the snow, oil painting',
      'A black and white cat sits in a white sink.',
      'a cyberpunk city at night, neon lights, 16:9',
      'một con ngựa đang phi nước đại trên đồng cỏ',
      'mot con ngua dang phi nuoc dai tren dong co',
    ])('%s', async (message) => {
      const plan = await router.plan(message, {});
      expect(plan.clarification).toBeUndefined();
      expect(plan.steps).toEqual([expect.objectContaining({ feature: 'paint', input: expect.objectContaining({ prompt: expect.any(String) }) })]);
    });

    it('keeps the whole description as the prompt', async () => {
      const [step] = (await createRuleBasedDetector().detect('a red fox sitting in the snow, oil painting', { features: registry.list() })).steps;
      expect(step).toMatchObject({ feature: 'stylize', description: 'a red fox sitting in the snow, oil painting' });
      const plan = await router.plan('a red fox sitting in the snow, oil painting', {});
      expect(plan.refinedPrompt).toMatch(/red fox sitting in the snow, oil painting/);
    });

    it.each(['hello, how are you?', 'what is the weather', 'thời tiết thế nào', 'thanks a lot'])('still asks on small talk and questions: %s', async (message) => {
      expect((await router.plan(message, {})).clarification).toBeDefined();
    });
  });

  describe('with a photo attached (or in the session) the words edit it', () => {
    it.each([
      ['Can someone make this photo less blurry?', 'sharpen'],
      ['make it sepia', 'stylize'],
      ['Make the image sharper by removing noise', 'sharpen'],
      ['make this HD please', 'hd'],
      ['làm ảnh này nét hơn', 'sharpen'],
      ['làm cho ảnh bớt mờ', 'sharpen'],
    ])('%s → %s', async (message, feature) => {
      const plan = await router.plan(message, withPhoto);
      expect(plan.steps[0]).toMatchObject({ feature, image: { assetId: 'ast_photo' } });
    });

    it('never creates a new picture unless asked: words no edit matches get a question', async () => {
      const plan = await router.plan('Make adjustments to the backdrop of this picture to portray a desert scene', withPhoto);
      expect(plan.steps).toEqual([]);
      expect(plan.clarification).toBeDefined();
      expect((await router.plan('a red fox sitting in the snow', withPhoto)).steps).toEqual([]);
    });

    it.each(['create a new picture of a lighthouse', 'draw a cat in watercolor', 'tạo ảnh hoàng hôn', 'vẽ một bức tranh mới về biển'])('creates when clearly asked: %s', async (message) => {
      expect(await firstFeature(message, withPhoto)).toBe('paint');
    });

    it('still chains "create …, then upscale it"', async () => {
      const plan = await router.plan('create a sunset over mountains, then upscale it 4x', withPhoto);
      expect(plan.steps.map((step) => step.feature)).toEqual(['paint', 'enlarge']);
    });
  });

  describe('politeness and filler do not hide the request', () => {
    it.each([
      ['Could someone please remove the background?', 'cutout'],
      ['[Request] can anyone remove the background on this?', 'cutout'],
      ['Hi all, is it possible to upscale this 4x please', 'enlarge'],
      ['pls sharpen it, thanks', 'sharpen'],
      ['làm ơn giúp mình xóa nền ảnh này', 'cutout'],
      ['bạn ơi phóng to ảnh này giùm', 'enlarge'],
    ])('%s → %s', async (message, feature) => {
      expect(await firstFeature(message, withPhoto)).toBe(feature);
    });

    it('leaves the politeness out of a prompt', async () => {
      const plan = await router.plan('Could you please draw a lighthouse at dusk', {});
      expect(plan.steps[0]).toMatchObject({ feature: 'paint' });
      expect(plan.refinedPrompt).toMatch(/^a lighthouse at dusk/);
    });
  });

  describe('objects named in words are object removal, which asks for a mask', () => {
    it.each([
      'remove the guy on the left',
      'Could someone please remove the man in the background?',
      'get rid of the watermark',
      'erase the tree',
      'xóa cái xe máy ở góc trái',
      'xoa cai logo trong anh giup minh',
    ])('%s', async (message) => {
      const plan = await router.plan(message, withPhoto);
      expect(plan.steps).toEqual([]);
      expect(plan.intents).toEqual([expect.objectContaining({ feature: 'erase' })]);
      expect(plan.clarification).toMatch(/mask|mặt nạ/);
    });

    it('runs with a mask', async () => {
      const plan = await router.plan('remove the guy on the left', { ...withPhoto, maskImageId: 'ast_mask' });
      expect(plan.steps[0]).toMatchObject({ feature: 'erase', input: { mask: { asset_id: 'ast_mask' } } });
    });

    it('a defect named after the verb is an enhancement, the background is background removal', async () => {
      expect(await firstFeature('remove the noise', withPhoto)).toBe('sharpen');
      expect(await firstFeature('remove the background', withPhoto)).toBe('cutout');
      expect(await firstFeature('xóa nền', withPhoto)).toBe('cutout');
    });
  });

  describe('what the user says not to do is not done', () => {
    it.each([
      ["don't remove the background, just sharpen it", 'sharpen'],
      ['do not upscale it, only make it sepia', 'stylize'],
      ['no need to remove the background, just make it black and white', 'stylize'],
      ['đừng xóa nền, chỉ làm nét ảnh thôi', 'sharpen'],
      ['không xóa nền, chỉ chuyển sang đen trắng', 'stylize'],
      ['dung xoa nen, chi lam net thoi', 'sharpen'],
    ])('%s → %s', async (message, feature) => {
      const plan = await router.plan(message, withPhoto);
      expect(plan.steps.map((step) => step.feature)).toEqual([feature]);
    });

    it('a negative prompt is still a negative prompt', async () => {
      const plan = await router.plan('paint a beach at dusk without people', {});
      expect(plan.steps[0]).toMatchObject({ feature: 'paint', input: { negative_prompt: expect.stringMatching(/^people/) } });
    });
  });
});

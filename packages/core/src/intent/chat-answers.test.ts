import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createEngine } from '../engine/create-engine.js';
import { defineFeature, definePlugin, imageInput } from '@darkroom/plugin-api';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import { FeatureRegistry } from '../registry/feature-registry.js';
import { createInstantProvider, enlargeFeature, paintFeature, solidPng, testPlugin } from '../testing/test-plugin.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';
import { IntentRouter } from './intent-router.js';

// Issue 11: counts, "it", plugins that share a keyword, what the answer says and in which language.
const notRun = async (): Promise<never> => {
  throw new Error('not run in these tests');
};
const gallery = defineFeature({
  id: 'gallery-paint',
  description: 'Paint several pictures',
  capability: 'text-to-image',
  intents: { name: 'image_generate', keywords: ['create', 'draw', 'make', 'tạo', 'vẽ'], examples: ['draw a boat', 'vẽ một con thuyền'] },
  chat: { promptField: 'prompt', countField: 'num_images' },
  input: z.object({ prompt: z.string().min(1), num_images: z.number().int().min(1).max(4).default(1) }),
  run: notRun,
});
const variations = defineFeature({
  id: 'variations',
  description: 'Variations of an image',
  capability: 'image-to-image',
  intents: { name: 'image_reimagine', keywords: ['variation', 'variations', 'biến thể'], examples: ['make a variation of this'] },
  chat: { imageField: 'image', promptField: 'prompt', countField: 'num_images' },
  input: z.object({ image: imageInput, prompt: z.string().default(''), num_images: z.number().int().min(1).max(4).default(1) }),
  run: notRun,
});
const stylize = defineFeature({
  id: 'stylize',
  description: 'Restyle an image',
  capability: 'style-transfer',
  intents: { name: 'image_style', keywords: ['sepia', 'black and white', 'oil painting', 'đen trắng', 'sơn dầu'], examples: ['make it sepia', 'chuyển ảnh này sang đen trắng'] },
  chat: { imageField: 'image' },
  input: z.object({ image: imageInput }),
  run: notRun,
});
/** A third-party plugin's feature that also answers to "black and white". */
const bwFilm = defineFeature({
  id: 'bw-film',
  description: 'Emulate black and white film stock',
  capability: 'style-transfer',
  intents: { name: 'image_bw_film', keywords: ['black and white', 'tri-x', 'film grain'], examples: ['make it look like Tri-X film'] },
  chat: { imageField: 'image' },
  input: z.object({ image: imageInput }),
  run: notRun,
});

const routerFor = (...features: Parameters<typeof FeatureRegistry.prototype.register>[0][]) =>
  new IntentRouter(new FeatureRegistry(features), createRuleBasedDetector(), createRuleBasedRefiner());
const router = routerFor(gallery, variations, stylize, enlargeFeature);
const withPhoto = { contextImageId: 'ast_photo' };

describe('counts and variations set the count field and leave the prompt', () => {
  it.each([
    ['create 2 images of a corgi in 16:9', 2, /^a corgi/],
    ['three pictures of a lighthouse at dusk', 3, /^a lighthouse at dusk/],
    ['draw a couple of versions of a red bicycle', 2, /^a red bicycle/],
    ['tạo hai ảnh con mèo trên ghế sofa', 2, /^con mèo trên ghế sofa/],
    ['vẽ 3 bức tranh phong cảnh núi', 3, /^phong cảnh núi/],
    ['tao 2 tam anh hoang hon', 2, /^hoang hon/],
  ])('%s → %i', async (message, count, prompt) => {
    const plan = await router.plan(message, {});
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'gallery-paint', input: expect.objectContaining({ num_images: count }) })]);
    expect(plan.steps[0]!.input.prompt).toMatch(prompt);
    expect(plan.steps[0]!.input.prompt).not.toMatch(/(?<![\p{L}])(?:images|pictures|versions|ảnh|anh|bức|tấm|tam)(?![\p{L}])/iu);
    expect(plan.intents[0]!.parameters).toMatchObject({ num_images: count });
  });

  it('clamps a count above what the feature accepts', async () => {
    expect((await router.plan('make 10 images of a dog', {})).steps[0]!.input.num_images).toBe(4);
  });

  it.each([
    ['make 3 variations of this', 3],
    ['tạo 2 biến thể của ảnh này', 2],
  ])('"%s" with a photo → %i variations of it', async (message, count) => {
    const plan = await router.plan(message, withPhoto);
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'variations', image: { assetId: 'ast_photo' }, input: { num_images: count } })]);
  });

  it('a number that counts no picture is not a count', async () => {
    const plan = await router.plan('draw two cats on a sofa, 16:9', {});
    expect(plan.steps[0]!.input.num_images).toBeUndefined();
    expect(plan.steps[0]!.input.prompt).toMatch(/^two cats on a sofa/);
  });
});

describe('code-switching and Vietnamese typed without diacritics', () => {
  const cutout = defineFeature({
    id: 'cutout',
    description: 'Remove the background',
    capability: 'remove-background',
    intents: { name: 'background_remove', keywords: ['background', 'remove the background', 'xóa nền', 'tách nền'], examples: ['remove the background', 'xóa nền ảnh này'] },
    chat: { imageField: 'image' },
    input: z.object({ image: imageInput }),
    run: notRun,
  });
  const mixed = routerFor(gallery, cutout, stylize, enlargeFeature);

  it.each([
    ['pls remove cái background đi', 'cutout'],
    ['làm ơn upscale ảnh này lên 4x', 'enlarge'],
    ['xoa nen giup minh', 'cutout'],
    ['chuyen anh nay sang den trang', 'stylize'],
  ])('%s → %s', async (message, feature) => {
    expect((await mixed.plan(message, withPhoto)).steps[0]).toMatchObject({ feature });
  });

  it('answers unaccented Vietnamese in Vietnamese', async () => {
    const plan = await mixed.plan('xoa nen giup minh', {});
    expect(plan.language).toBe('vi');
    expect(plan.clarification).toMatch(/ảnh nào/);
  });
});

describe('"it", "this", "nó" mean the image at hand', () => {
  it.each(['make it sepia', 'make this photo black and white', 'turn it into an oil painting', 'biến nó thành tranh sơn dầu', 'chuyển nó sang đen trắng'])(
    '%s edits the photo',
    async (message) => {
      const plan = await router.plan(message, withPhoto);
      expect(plan.steps).toEqual([expect.objectContaining({ feature: 'stylize', image: { assetId: 'ast_photo' } })]);
    },
  );

  it.each(['make it sepia', 'chuyển nó sang đen trắng'])('%s with no image asks which image, and never paints "it sepia"', async (message) => {
    const plan = await router.plan(message, {});
    expect(plan.steps).toEqual([]);
    expect(plan.intents[0]).toMatchObject({ feature: 'stylize' });
    expect(plan.clarification).toMatch(/Which image|ảnh nào/);
  });

  it('an edit whose words only point at the image runs without a prompt', async () => {
    const detection = await createRuleBasedDetector().detect('upscale it', { features: [enlargeFeature, variations] });
    expect(detection.steps[0]).toMatchObject({ feature: 'enlarge', text: '', refersToImage: true });
  });
});

describe('plugins compete on equal terms', () => {
  afterEach(() => vi.restoreAllMocks());

  it('two features with the same keyword: the overlap is listed and the router asks which one', async () => {
    const registry = new FeatureRegistry([stylize, bwFilm]);
    expect(registry.keywordOverlaps()).toEqual([{ keyword: 'black and white', features: ['stylize', 'bw-film'] }]);
    for (const order of [[stylize, bwFilm], [bwFilm, stylize]]) {
      const plan = await routerFor(...order).plan('make it black and white', withPhoto);
      expect(plan.steps).toEqual([]);
      expect(plan.clarification).toMatch(/Which one/);
      expect(plan.clarification).toContain('(stylize)');
      expect(plan.clarification).toContain('(bw-film)');
    }
    // Its own words still route to it directly.
    expect((await routerFor(stylize, bwFilm).plan('add film grain like tri-x', withPhoto)).steps[0]).toMatchObject({ feature: 'bw-film' });
  });

  it('asks in Vietnamese when the tied keyword is Vietnamese', async () => {
    const film = defineFeature({ ...bwFilm, id: 'phim-den-trang', route: 'phim-den-trang', intents: { ...bwFilm.intents, keywords: ['đen trắng'], examples: ['làm ảnh giống phim đen trắng'] } });
    const plan = await routerFor(stylize, film).plan('chuyển ảnh này sang đen trắng', withPhoto);
    expect(plan.steps).toEqual([]);
    expect(plan.clarification).toMatch(/^Yêu cầu này khớp với nhiều tính năng/);
    expect(plan.clarification).toContain('"làm ảnh giống phim đen trắng"');
  });

  it('createEngine reports the overlap at load as a DarkroomWarning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const engine = await createEngine({ plugins: [definePlugin({ name: 'film', features: [stylize, bwFilm] })], runner: { autoStart: false } });
    await engine.close();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/stylize, bw-film .*"black and white"/), expect.objectContaining({ type: 'DarkroomWarning', code: 'DARKROOM_KEYWORD_OVERLAP' }));
  });
});

describe('the answer states each step and speaks the user\'s language', () => {
  it('records feature, confidence and parameters per step; image references are left out', async () => {
    const plan = await routerFor(paintFeature, enlargeFeature).plan('paint a boat at dawn, then upscale it 4x', {});
    expect(plan.intents).toEqual([
      { intent: 'image_generate', feature: 'paint', confidence: expect.any(Number), parameters: expect.objectContaining({ prompt: expect.stringMatching(/^a boat at dawn/) }) },
      { intent: 'image_upscale', feature: 'enlarge', confidence: expect.any(Number), parameters: { scale: 4 } },
    ]);
    expect(plan.language).toBe('en');
  });

  it('runs a Vietnamese turn and answers in Vietnamese; an English one in English', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const session = await engine.chat.createSession('u1');
      const image = { base64: Buffer.from(await solidPng(16, 16)).toString('base64') };
      const vi = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'phóng to ảnh này gấp 4 lần', image });
      await engine.jobs.wait('u1', vi.jobId);
      const answer = await engine.chat.message('u1', session.id, vi.messageId);
      expect(answer).toMatchObject({ status: 'DONE', content: expect.stringMatching(/^Xong: enlarge\. Ảnh của bạn/) });
      expect(answer.data.intents).toEqual([expect.objectContaining({ feature: 'enlarge', confidence: expect.any(Number), parameters: expect.any(Object) })]);
      const asked = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'thời tiết hôm nay thế nào?' });
      await engine.jobs.wait('u1', asked.jobId);
      const question = await engine.chat.message('u1', session.id, asked.messageId);
      expect(question.content).toMatch(/^Mình chưa chắc bạn muốn làm gì/);
      expect(question.data.clarification).toBe(question.content);
      const en = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'paint a boat' });
      await engine.jobs.wait('u1', en.jobId);
      const done = await engine.chat.message('u1', session.id, en.messageId);
      expect(done.content).toMatch(/^Done: paint\. Your image is/);
      // The seed fixed for the run is recorded, so the picture can be drawn again.
      expect(done.data.intents![0]!.parameters).toMatchObject({ seed: expect.any(Number), prompt: expect.stringMatching(/^a boat/) });
    } finally {
      await engine.close();
    }
  });
});

describe('objects named in words', () => {
  const eraser = defineFeature({
    id: 'eraser',
    description: 'Remove an object',
    capability: 'inpaint',
    intents: { name: 'object_remove', keywords: ['remove', 'get rid of', 'xóa'], verbs: ['remove', 'get rid of', 'xóa'], examples: ['remove the man on the left'] },
    chat: { imageField: 'image', maskField: 'mask', targetField: 'target' },
    input: z.object({ image: imageInput, mask: imageInput.optional(), target: z.string().optional() }),
    run: notRun,
  });
  const registry = new FeatureRegistry([eraser, stylize]);
  const withEdit = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner(), 0.5, 4, (capability) => capability === 'edit' || capability === 'inpaint');
  const withoutEdit = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner());

  it.each([
    ['Could someone please remove the man in the background?', 'the man in the background'],
    ['get rid of the guy on the left', 'the guy on the left'],
    ['xóa cái xe máy ở góc trái', 'cái xe máy ở góc trái'],
  ])('"%s" runs with the words as the target where a provider edits by instruction', async (message, target) => {
    const plan = await withEdit.plan(message, withPhoto);
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'eraser', input: { target }, image: { assetId: 'ast_photo' } })]);
    expect(plan.intents[0]).toMatchObject({ feature: 'eraser', parameters: { target } });
  });

  it('asks for a mask where no provider does, with object removal in the intents', async () => {
    const plan = await withoutEdit.plan('get rid of the guy on the left', withPhoto);
    expect(plan.steps).toEqual([]);
    expect(plan.intents[0]).toMatchObject({ feature: 'eraser' });
    expect(plan.clarification).toMatch(/mask/);
  });

  it('a mask sent wins over the words', async () => {
    const plan = await withEdit.plan('remove the guy on the left', { ...withPhoto, maskImageId: 'ast_mask' });
    expect(plan.steps[0]!.input).toEqual({ mask: { asset_id: 'ast_mask' } });
  });
});

describe('asks before running what would fail', () => {
  const picky = defineFeature({
    id: 'picky-style',
    description: 'Restyle with a preset',
    capability: 'style-transfer',
    intents: { name: 'image_style', keywords: ['restyle', 'phong cách'], examples: ['restyle it as noir', 'đổi phong cách ảnh này'], extract: (text) => (/noir/.test(text) ? { style: 'noir' } : {}) },
    chat: { imageField: 'image' },
    input: z.object({ image: imageInput, style: z.enum(['noir', 'sepia']) }),
    run: notRun,
  });
  const offered = new IntentRouter(new FeatureRegistry([picky, enlargeFeature]), createRuleBasedDetector(), createRuleBasedRefiner(), 0.5, 4, (capability) => capability === 'style-transfer');

  it('input the feature refuses: names the field and its options, in the user\'s language', async () => {
    const plan = await offered.plan('restyle it please', withPhoto);
    expect(plan.steps).toEqual([]);
    expect(plan.clarification).toMatch(/I need style: one of noir, sepia\. For example: "restyle it as noir"/);
    expect((await offered.plan('đổi phong cách ảnh này', withPhoto)).clarification).toMatch(/^Mình hiểu bạn muốn dùng picky-style, nhưng cần rõ style: một trong noir, sepia/);
    expect((await offered.plan('restyle it as noir', withPhoto)).steps[0]).toMatchObject({ feature: 'picky-style', input: { style: 'noir' } });
  });

  it('no provider for the feature: says so instead of failing the turn', async () => {
    const plan = await offered.plan('upscale it 4x', withPhoto);
    expect(plan.steps).toEqual([]);
    expect(plan.intents[0]).toMatchObject({ feature: 'enlarge', parameters: { scale: 4 } });
    expect(plan.clarification).toMatch(/no provider for enlarge .*capability upscale/);
  });
});

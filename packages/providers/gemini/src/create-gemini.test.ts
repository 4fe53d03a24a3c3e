import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviderDetector, inspectImage, memoryCheckpoint, ProviderManager, type ImageData, type Provider } from '@darkroom/core';
import { answerIntentFromWire, enlargeFeature, paintFeature } from '@darkroom/core/testing';
import { createGemini } from './create-gemini.js';
import { startFakeGemini, type FakeGemini } from './testing-fake-gemini.js';

const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');
let fake: FakeGemini;
let gemini: Provider;
let photo: ImageData;
const context = () => ({ signal: new AbortController().signal, model: 'gemini-3.1-flash-image', checkpoint: memoryCheckpoint() });

beforeAll(async () => {
  fake = await startFakeGemini();
  photo = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'chelsea.png'))));
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.script.length = 0;
  gemini = createGemini({ apiKey: fake.key, baseURL: fake.url, timeoutMs: 5_000 });
});

describe('gemini: request shape and response mapping', () => {
  it('generates an image with image output, the nearest aspect ratio and usage recorded', async () => {
    const result = await gemini.handlers['text-to-image']!({ prompt: 'a lighthouse', negativePrompt: 'people', width: 1024, height: 576 }, context());
    const [request] = fake.requests;
    expect(request!.model).toBe('gemini-3.1-flash-image');
    expect(request!.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse\nAvoid: people' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    expect(result.images[0]).toMatchObject({ mimeType: 'image/png', width: 768, height: 432 });
    expect(result.metadata).toMatchObject({ usage: { total_tokens: 46 }, response_id: expect.any(String) });
  });

  it('sends edits as an inlineData image part (and the mask) with an instruction', async () => {
    await gemini.handlers.inpaint!({ image: photo, mask: photo }, context());
    await gemini.handlers.relight!({ image: photo, direction: 'left', intensity: 0.7, warmth: 0.8 }, context());
    await gemini.handlers['style-transfer']!({ image: photo, style: 'pencil-sketch' }, context());
    const [inpaint, relight, style] = fake.requests;
    expect(inpaint!.body.contents[0].parts.map((part: Record<string, unknown>) => Object.keys(part)[0])).toEqual(['inlineData', 'inlineData', 'text']);
    expect(inpaint!.body.contents[0].parts[0].inlineData.mimeType).toBe('image/png');
    expect(relight!.body.contents[0].parts[1].text).toMatch(/warm light coming from the left, at 70% intensity/);
    expect(style!.body.contents[0].parts[1].text).toMatch(/pencil sketch/);
  });

  it('detects intents by function calling: every feature a tool, several calls a plan', async () => {
    const tools = [
      { name: 'generate', description: 'Generate', parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] } },
      { name: 'upscale', description: 'Upscale', parameters: { type: 'object', properties: { scale: { type: 'integer', enum: [2, 4] } } } },
    ];
    const result = await gemini.handlers.intent!({ message: 'create a sunset over the sea, then upscale it 4x', tools }, { ...context(), model: 'gemini-2.5-flash' });
    expect(result.calls).toEqual([{ name: 'generate', args: { prompt: 'a sunset over the sea', aspect_ratio: '16:9' } }, { name: 'upscale', args: { scale: 4 } }]);
    const [request] = fake.requests;
    expect(request!.model).toBe('gemini-2.5-flash');
    expect(request!.body.tools[0].functionDeclarations[1]).toEqual({ name: 'upscale', description: 'Upscale', parametersJsonSchema: tools[1]!.parameters });
    expect(request!.body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('refines a prompt in JSON mode', async () => {
    expect(await gemini.handlers['refine-prompt']!({ prompt: 'a cat' }, context())).toEqual({ refined: 'a cat, golden light, crisp detail', negative: 'blur' });
    expect(fake.requests[0]!.body.generationConfig.responseMimeType).toBe('application/json');
  });
});

describe('gemini: errors', () => {
  const call = () => gemini.handlers['text-to-image']!({ prompt: 'a lighthouse', width: 512, height: 512 }, context());

  it('makes safety blocks a clear, non-retryable content_blocked error', async () => {
    await expect(gemini.handlers['text-to-image']!({ prompt: 'a blocked prompt', width: 512, height: 512 }, context())).rejects.toMatchObject({ code: 'content_blocked', retryable: false, message: expect.stringMatching(/blocked/) });
    await expect(gemini.handlers['text-to-image']!({ prompt: 'an unsafe image', width: 512, height: 512 }, context())).rejects.toMatchObject({ code: 'content_blocked', details: { finish_reason: 'IMAGE_SAFETY' } });
  });

  it('says a bad key is a bad key, without the key', async () => {
    const error = await createGemini({ apiKey: 'wrong-key', baseURL: fake.url }).handlers['text-to-image']!({ prompt: 'x', width: 64, height: 64 }, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider_error', retryable: false, message: expect.stringMatching(/GEMINI_API_KEY/) });
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('wrong-key');
  });

  it('honours RetryInfo.retryDelay on 429', async () => {
    fake.script.push({
      status: 429,
      body: { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '22s' }] } },
    });
    await expect(call()).rejects.toMatchObject({ code: 'rate_limited', retryable: true, details: expect.objectContaining({ retryAfterMs: 22_000 }) });
  });

  it('maps 5xx to a retryable error and 400 to invalid input', async () => {
    fake.script.push({ status: 503, body: { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } } });
    await expect(call()).rejects.toMatchObject({ code: 'provider_unavailable', retryable: true });
    fake.script.push({ status: 400, body: { error: { code: 400, message: 'Invalid value at contents', status: 'INVALID_ARGUMENT' } } });
    await expect(call()).rejects.toMatchObject({ code: 'invalid_input', retryable: false });
  });

  it('treats a body that is not JSON as a retryable provider error', async () => {
    fake.script.push({ status: 200, body: '<html>proxy error</html>' });
    await expect(call()).rejects.toMatchObject({ code: 'provider_error', retryable: true });
  });

  it('times out and cancels', async () => {
    gemini = createGemini({ apiKey: fake.key, baseURL: fake.url, timeoutMs: 200 });
    fake.script.push('hang');
    await expect(call()).rejects.toMatchObject({ code: 'timeout', retryable: true });
    fake.script.push('hang');
    const controller = new AbortController();
    const pending = createGemini({ apiKey: fake.key, baseURL: fake.url }).handlers['text-to-image']!({ prompt: 'x', width: 64, height: 64 }, { ...context(), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by user')), 50);
    await expect(pending).rejects.toThrow('cancelled by user');
  });

  it('probes reachability in health, and reports a bad key there', async () => {
    expect(await gemini.health!()).toMatchObject({ ok: true, details: { reachable: true } });
    expect(await createGemini({ apiKey: 'wrong', baseURL: fake.url }).health!()).toMatchObject({ ok: false, message: expect.stringMatching(/GEMINI_API_KEY/), details: { reachable: false } });
  });

  it('says the key is missing', async () => {
    const saved = process.env.GEMINI_API_KEY;
    delete process.env.GEMINI_API_KEY;
    try {
      await expect(createGemini({ baseURL: fake.url }).handlers['text-to-image']!({ prompt: 'x', width: 64, height: 64 }, context())).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/GEMINI_API_KEY is not set/) });
      expect(fake.requests).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.GEMINI_API_KEY = saved;
    }
  });
});

describe('gemini: what the intent detector tells the model', () => {
  it('sends the images at hand, the reply language, each tool\'s examples and keywords, and reads the step hints back', async () => {
    const intentFake = await startFakeGemini({ intent: answerIntentFromWire });
    try {
      const providers = new ProviderManager([createGemini({ apiKey: intentFake.key, baseURL: intentFake.url, timeoutMs: 5_000 })]);
      const fallback = { name: 'fallback', detect: () => Promise.reject(new Error('the fallback should not be asked')) };
      const detection = await createProviderDetector(providers, fallback).detect('phóng to ảnh này 4x', { features: [paintFeature, enlargeFeature], images: { image: 'session', mask: true } });
      const { body } = intentFake.requests[0]!;
      const instruction = body.systemInstruction.parts.map((part: { text: string }) => part.text).join('\n');
      expect(instruction).toMatch(/Images at hand: no photo is attached, but the conversation's latest image is at hand; a mask was sent/);
      expect(instruction).toMatch(/Reply in Vietnamese/);
      const [paint, enlarge] = body.tools[0].functionDeclarations;
      expect(paint.description).toMatch(/Creates a new picture\.\nExamples: "paint a boat"\nKeywords: "create", "paint", "draw", "tạo ảnh", "vẽ"/);
      expect(enlarge.description).toMatch(/Works on the image at hand\.\nExamples: "upscale it"/);
      expect(Object.keys(enlarge.parametersJsonSchema.properties)).toEqual(expect.arrayContaining(['scale', 'asks_for_new_picture', 'refers_to_image', 'confidence']));
      expect(body.contents[0].parts).toEqual([{ text: 'phóng to ảnh này 4x' }]);
      expect(detection).toMatchObject({ detector: 'gemini:gemini-2.5-flash', language: 'vi', steps: [{ feature: 'enlarge', refersToImage: true, asksForNew: false, input: {} }] });
      expect(detection.steps[0]!.confidence).toBeGreaterThan(0.5);
      expect(detection.steps[0]!.confidence).toBeLessThan(1);
    } finally {
      await intentFake.close();
    }
  });

  it('edits by instruction: the image as inlineData and the instruction, at the image\'s aspect ratio', async () => {
    const result = await gemini.handlers.edit!({ image: photo, instruction: 'Remove the cat and fill the area so it blends with its surroundings.' }, context());
    const [request] = fake.requests;
    expect(request!.body.contents[0].parts.map((part: Record<string, unknown>) => Object.keys(part)[0])).toEqual(['inlineData', 'text']);
    expect(request!.body.contents[0].parts[1].text).toBe('Remove the cat and fill the area so it blends with its surroundings.');
    expect(request!.body.generationConfig.responseModalities).toEqual(['TEXT', 'IMAGE']);
    expect(result.images[0]).toMatchObject({ mimeType: 'image/png' });
    expect(gemini.capabilities).toContain('edit');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviderDetector, createRuleBasedDetector, inspectImage, memoryCheckpoint, ProviderManager, type Provider } from '@darkroom/core';
import { answerIntentFromWire, enlargeFeature, paintFeature } from '@darkroom/core/testing';
import { createParasail } from './create-parasail.js';
import { startFakeParasail, type FakeParasail } from './testing-fake-parasail.js';

const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');
let fake: FakeParasail;
let parasail: Provider;
const context = () => ({ signal: new AbortController().signal, model: 'parasail-llama-33-70b-fp8', checkpoint: memoryCheckpoint() });
const tools = [
  { name: 'generate', description: 'Generate', parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] } },
  { name: 'remove-background', description: 'Remove the background', parameters: { type: 'object', properties: {} } },
];

beforeAll(async () => {
  fake = await startFakeParasail();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.script.length = 0;
  parasail = createParasail({ apiKey: fake.key, baseURL: fake.url, timeoutMs: 5_000 });
});

describe('parasail', () => {
  it('claims no image generation', () => {
    expect(parasail.capabilities.sort()).toEqual(['caption', 'intent', 'refine-prompt']);
  });

  it('detects intents with tools: each tool call a step, in order', async () => {
    const result = await parasail.handlers.intent!({ message: 'make a cat on a sofa, then remove the background', tools }, context());
    expect(result.calls).toEqual([{ name: 'generate', args: { prompt: 'a cat on a sofa' } }, { name: 'remove-background', args: {} }]);
    expect(fake.requests[0]).toMatchObject({
      model: 'parasail-llama-33-70b-fp8',
      tool_choice: 'auto',
      tools: [{ type: 'function', function: { name: 'generate', description: 'Generate', parameters: tools[0]!.parameters } }, expect.anything()],
    });
  });

  it('refines prompts in JSON mode and captions images with the vision model', async () => {
    expect(await parasail.handlers['refine-prompt']!({ prompt: 'a cat' }, context())).toEqual({ refined: 'a cat, soft window light, detailed', negative: 'noise' });
    const photo = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'chelsea.png'))));
    expect(await parasail.handlers.caption!({ image: photo }, context())).toEqual({ text: 'A tabby cat looking at the camera.' });
    expect(fake.requests[1]).toMatchObject({ model: 'parasail-qwen25-vl-72b-instruct', messages: [{ content: [{ type: 'text' }, { type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) } }] }] });
  });

  it.each([
    [401, undefined, { code: 'provider_error', retryable: false, message: expect.stringMatching(/PARASAIL_API_KEY/) }],
    [429, { 'retry-after': '7' }, { code: 'rate_limited', retryable: true, details: expect.objectContaining({ retryAfterMs: 7000 }) }],
    [500, undefined, { code: 'provider_unavailable', retryable: true }],
    [400, undefined, { code: 'invalid_input', retryable: false }],
  ] as const)('maps HTTP %s', async (status, headers, expected) => {
    fake.script.push({ status, body: { error: { message: 'nope', type: 'error' } }, ...(headers ? { headers } : {}) });
    await expect(parasail.handlers.intent!({ message: 'make a cat', tools }, context())).rejects.toMatchObject(expected);
  });

  it('treats tool arguments that are not JSON, or a body that is not JSON, as retryable provider errors', async () => {
    fake.script.push({ status: 200, body: { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'generate', arguments: '{prompt:' } }] } }] } });
    await expect(parasail.handlers.intent!({ message: 'make a cat', tools }, context())).rejects.toMatchObject({ code: 'provider_error', retryable: true });
    fake.script.push({ status: 200, body: 'not json at all' });
    await expect(parasail.handlers.intent!({ message: 'make a cat', tools }, context())).rejects.toMatchObject({ code: 'provider_error', retryable: true });
  });

  it('probes reachability in health', async () => {
    expect(await parasail.health!()).toMatchObject({ ok: true, details: { reachable: true } });
    expect(await createParasail({ apiKey: 'wrong', baseURL: fake.url }).health!()).toMatchObject({ ok: false, message: expect.stringMatching(/PARASAIL_API_KEY/) });
  });

  it('times out, cancels, and says a missing key is missing', async () => {
    fake.script.push('hang');
    await expect(createParasail({ apiKey: fake.key, baseURL: fake.url, timeoutMs: 200 }).handlers.intent!({ message: 'x', tools }, context())).rejects.toMatchObject({ code: 'timeout', retryable: true });
    fake.script.push('hang');
    const controller = new AbortController();
    const pending = parasail.handlers.intent!({ message: 'x', tools }, { ...context(), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(pending).rejects.toThrow('stop');
    const saved = process.env.PARASAIL_API_KEY;
    delete process.env.PARASAIL_API_KEY;
    try {
      await expect(createParasail({ baseURL: fake.url }).handlers.intent!({ message: 'x', tools }, context())).rejects.toMatchObject({ code: 'configuration' });
    } finally {
      if (saved !== undefined) process.env.PARASAIL_API_KEY = saved;
    }
  });
});

describe('parasail: what the intent detector tells the model', () => {
  it('sends the images at hand, the reply language, each tool\'s examples and keywords, and reads the step hints back', async () => {
    const intentFake = await startFakeParasail({ intent: answerIntentFromWire });
    try {
      const providers = new ProviderManager([createParasail({ apiKey: intentFake.key, baseURL: intentFake.url, timeoutMs: 5_000 })]);
      const fallback = { name: 'fallback', detect: () => Promise.reject(new Error('the fallback should not be asked')) };
      const detection = await createProviderDetector(providers, fallback).detect('upscale this 4x', { features: [paintFeature, enlargeFeature], images: { image: 'attached', mask: false } });
      const [body] = intentFake.requests;
      expect(body!.messages[0]).toMatchObject({ role: 'system', content: expect.stringMatching(/Images at hand: a photo is attached to this message; no mask was sent\.\nReply in English/) });
      expect(body!.messages[1]).toEqual({ role: 'user', content: 'upscale this 4x' });
      const [paint, enlarge] = body!.tools;
      expect(paint.function.description).toMatch(/Creates a new picture\.\nExamples: "paint a boat"\nKeywords: "create", "paint"/);
      expect(enlarge.function.description).toMatch(/Works on the image at hand\.\nExamples: "upscale it"\nKeywords: "upscale", "enlarge", "phóng to"/);
      expect(enlarge.function.parameters.properties).toMatchObject({ asks_for_new_picture: { type: 'boolean' }, refers_to_image: { type: 'boolean' }, confidence: { type: 'number' } });
      expect(detection).toMatchObject({ detector: 'parasail:parasail-llama-33-70b-fp8', language: 'en', steps: [{ feature: 'enlarge', refersToImage: true, asksForNew: false, input: {} }] });
    } finally {
      await intentFake.close();
    }
  });

  it('says Vietnamese is the reply language for a Vietnamese message, and says nothing of images it was not told', async () => {
    await createProviderDetector(new ProviderManager([parasail]), createRuleBasedDetector()).detect('tạo ảnh một con mèo', { features: [paintFeature, enlargeFeature] });
    expect(fake.requests[0]!.messages[0].content).toMatch(/Reply in Vietnamese/);
    expect(fake.requests[0]!.messages[0].content).not.toMatch(/Images at hand/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@darkroom/core';
import { startFakeGemini, type FakeGemini } from '../../providers/gemini/src/testing-fake-gemini.js';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/images');
const chelsea = `data:image/png;base64,${readFileSync(join(fixtures, 'chelsea.png')).toString('base64')}`;
let fake: FakeGemini;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(() => fake.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  fake.requests.length = 0;
  fake.script.length = 0;
});

async function engineWith(options: Parameters<typeof createDefaultEngine>[0] = {}): Promise<Engine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-gemini-'));
  const engine = await createDefaultEngine({ dataDir, gemini: { apiKey: fake.key, baseURL: fake.url, timeoutMs: 5_000 }, runner: { pollMs: 50 }, ...options });
  cleanups.push(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return engine;
}

async function chat(engine: Engine, content: string, image?: string) {
  const session = await engine.chat.createSession('local');
  const sent = await engine.chat.send({ userId: 'local', sessionId: session.id, content, ...(image ? { image } : {}) });
  await engine.jobs.wait('local', sent.jobId);
  return engine.chat.message('local', session.id, sent.messageId);
}

describe('Gemini in the engine', () => {
  it('detects intents by function calling and refines the prompt when configured', async () => {
    const engine = await engineWith();
    const reply = await chat(engine, 'create a sunset over the sea, then upscale it 4x');
    expect(reply).toMatchObject({ status: 'DONE', data: { detector: 'gemini:gemini-2.5-flash', refinedPrompt: 'a sunset over the sea, golden light, crisp detail' } });
    expect(reply.data.intents!.map((intent) => intent.feature)).toEqual(['generate', 'upscale']);
    const [generated, upscaled] = reply.data.images!;
    expect((await engine.gallery.get('local', generated!.galleryId)).provider).toBe('gemini');
    expect(upscaled).toMatchObject({ width: generated!.width * 4, height: generated!.height * 4 });
    const toolRequest = fake.requests.find((request) => request.body.tools);
    expect(toolRequest!.body.tools[0].functionDeclarations.map((declaration: { name: string }) => declaration.name)).toEqual(
      expect.arrayContaining(['generate', 'upscale', 'remove-background', 'relight', 'style-transfer', 'reimagine', 'expand', 'object-removal', 'enhance']),
    );
  });

  it('falls back to the rule-based detector when Gemini cannot answer', async () => {
    const engine = await engineWith();
    fake.script.push({ status: 503, body: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } } });
    const reply = await chat(engine, 'upscale it 2x', chelsea);
    expect(reply).toMatchObject({ status: 'DONE', data: { detector: 'rule-based', intents: [{ feature: 'upscale' }] } });
  });

  it('cancelling a chat turn stops the intent call Gemini is still answering', async () => {
    const engine = await engineWith();
    fake.script.push('hang');
    const session = await engine.chat.createSession('local');
    const sent = await engine.chat.send({ userId: 'local', sessionId: session.id, content: 'create a sunset' });
    while (!fake.requests.some((request) => request.body.tools)) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await engine.jobs.cancel('local', sent.jobId);
    expect((await engine.jobs.wait('local', sent.jobId)).state).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await engine.chat.message('local', session.id, sent.messageId)).toMatchObject({ status: 'FAILED', data: { error: { code: 'cancelled' } } });
  });

  it('serves every feature routed to Gemini from its direct route', async () => {
    const engine = await engineWith({ routing: { 'text-to-image': ['gemini'], 'image-to-image': ['gemini'], inpaint: ['gemini'], outpaint: ['gemini'], relight: ['gemini'], 'style-transfer': ['gemini'] } });
    const app = createServer({ engine }).app;
    const routes: Array<[string, Record<string, unknown>]> = [
      ['image-generation', { prompt: 'a lighthouse at dusk', aspect_ratio: '16:9' }],
      ['reimagine', { image: chelsea, prompt: 'as a watercolor' }],
      ['object-removal', { image: chelsea, mask: chelsea }],
      ['image-expand', { image: chelsea, aspect_ratio: '16:9' }],
      ['relight', { image: chelsea, direction: 'top', warmth: 0.6 }],
      ['style-transfer', { image: chelsea, style: 'watercolor painting' }],
    ];
    for (const [route, body] of routes) {
      const response = await app.request(`/v1/features/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const result = await response.json();
      expect(response.status, `${route}: ${JSON.stringify(result)}`).toBe(200);
      expect(result.provider).toBe('gemini');
      expect(await engine.gallery.get('local', result.images[0].gallery_id)).toMatchObject({ origin: { source: 'direct' }, metadata: { usage: { total_tokens: 46 } } });
    }
  });

  it('answers a safety block with a clear 4xx, and chat with a FAILED reply that says so', async () => {
    const engine = await engineWith();
    const app = createServer({ engine }).app;
    const response = await app.request('/v1/features/image-generation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a blocked prompt' }) });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatchObject({ code: 'content_blocked', message: expect.stringMatching(/blocked/) });
    const reply = await chat(engine, 'create a blocked prompt');
    expect(reply).toMatchObject({ status: 'FAILED', data: { error: { code: 'content_blocked' } }, content: expect.stringMatching(/blocked/) });
  });

  it('removes an object named in words (target) by a Gemini edit; neither or both of mask and target is a 400', async () => {
    const engine = await engineWith();
    const app = createServer({ engine }).app;
    const post = (body: Record<string, unknown>) => app.request('/v1/features/object-removal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const response = await post({ image: chelsea, target: 'the cat on the left' });
    const result = await response.json();
    expect(response.status, JSON.stringify(result)).toBe(200);
    expect(result.provider).toBe('gemini');
    const parts = fake.requests.at(-1)!.body.contents[0].parts;
    expect(parts.map((part: Record<string, unknown>) => Object.keys(part)[0])).toEqual(['inlineData', 'text']);
    expect(parts[1].text).toMatch(/^Remove the cat on the left from the image and fill the area so it blends with its surroundings/);
    for (const body of [{ image: chelsea }, { image: chelsea, mask: chelsea, target: 'the cat' }]) {
      const refused = await post(body);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/exactly one of mask .* or target/) });
    }
    const document = await (await app.request('/openapi.json')).json();
    const schema = document.paths['/v1/features/object-removal'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(schema)).toMatch(/What to remove, in words/);
  });

  it('without a provider that edits by instruction, a target is a typed 422 saying to send a mask or configure Gemini', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-no-gemini-'));
    const engine = await createDefaultEngine({ dataDir, runner: { pollMs: 50 } });
    cleanups.push(async () => {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const response = await createServer({ engine }).app.request('/v1/features/object-removal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: chelsea, target: 'the cat' }) });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatchObject({ code: 'unsupported', message: expect.stringMatching(/send a mask .* or configure Gemini/), details: { capability: 'edit', field: 'target' } });
  });
});

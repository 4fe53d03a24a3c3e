import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@darkroom/core';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/images');
const chelsea = readFileSync(join(fixtures, 'chelsea.png'));

let engine: Engine;
let app: ReturnType<typeof createServer>['app'];
let dataDir: string;

const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function pollMessage(sessionId: string, messageId: string) {
  for (let tries = 0; tries < 400; tries += 1) {
    const message = await (await app.request(`/api/v1/chat/sessions/${sessionId}/messages/${messageId}`)).json();
    if (message.status !== 'PROCESSING') return message;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('message still PROCESSING');
}

async function chat(content: string, extra: Record<string, unknown> = {}, sessionId?: string) {
  const session = sessionId ?? (await (await app.request('/api/v1/chat/sessions', json({}))).json()).session_id;
  const sent = await app.request(`/api/v1/chat/sessions/${session}/messages`, json({ content, ...extra }));
  expect(sent.status).toBe(202);
  const accepted = await sent.json();
  expect(accepted.status).toBe('PROCESSING');
  return { session, message: await pollMessage(session, accepted.message_id) };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'darkroom-server-'));
  engine = await createDefaultEngine({ dataDir, runner: { pollMs: 50 } });
  app = createServer({ engine }).app;
});
afterAll(async () => {
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('chat flow', () => {
  it('runs "create a sunset over mountains, then upscale it 2x" to DONE with two images in the gallery', async () => {
    const { session, message } = await chat('create a sunset over mountains, then upscale it 2x');
    expect(message.status).toBe('DONE');
    expect(message.intents.map((intent: { feature: string }) => intent.feature)).toEqual(['generate', 'upscale']);
    expect(message.refined_prompt).toMatch(/sunset over mountains/);
    expect(message.images).toHaveLength(2);
    const [generated, upscaled] = message.images;
    expect([upscaled.width, upscaled.height]).toEqual([generated.width * 2, generated.height * 2]);
    expect(message.image_url).toBe(upscaled.url);
    const image = await app.request(upscaled.url);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await app.request(upscaled.url, { headers: { 'if-none-match': image.headers.get('etag')! } })).status).toBe(304);
    expect((await sharp(new Uint8Array(await image.arrayBuffer())).metadata()).width).toBe(upscaled.width);
    const gallery = await (await app.request(`/v1/gallery?session_id=${session}`)).json();
    expect(gallery.items).toHaveLength(2);
    for (const item of gallery.items) expect(item.metadata).toMatchObject({ source: 'chat', session_id: session, message_id: message.id });
    const generatedRow = gallery.items.find((item: { feature: string }) => item.feature === 'generate');
    expect(generatedRow.metadata.placeholder).toBe(true);
    expect(generatedRow.model).toBe('placeholder-not-ai');
  });

  it('understands Vietnamese', async () => {
    const { message } = await chat('tạo ảnh hoàng hôn');
    expect(message.status).toBe('DONE');
    expect(message.intents[0]).toMatchObject({ feature: 'generate', intent: 'image_generate' });
    expect(message.refined_prompt).toMatch(/hoàng hôn \(sunset\)/);
  });

  it('resolves "it" to the image sent with an earlier message', async () => {
    const session = (await (await app.request('/api/v1/chat/sessions', json({}))).json()).session_id;
    const upload = `data:image/png;base64,${chelsea.toString('base64')}`;
    const first = await chat('here is my cat', { image: upload }, session);
    expect(first.message.status).toBe('DONE');
    expect(first.message.clarification).toBeTruthy();
    const { message } = await chat('upscale it 4x', {}, session);
    expect(message.status).toBe('DONE');
    expect(message.images[0]).toMatchObject({ width: 451 * 4, height: 300 * 4, feature: 'upscale' });
  });

  it('asks a clarifying question and runs nothing when unsure', async () => {
    const before = (await (await app.request('/v1/gallery?limit=200')).json()).items.length;
    const { message, session } = await chat('hello there');
    expect(message.status).toBe('DONE');
    expect(message.clarification).toMatch(/Upscale an image/);
    expect(message.images).toBeUndefined();
    const history = await (await app.request(`/api/v1/chat/sessions/${session}/messages`)).json();
    expect(history.messages.map((entry: { role: string }) => entry.role)).toEqual(['assistant', 'user']);
    expect(history.next_cursor).toBeNull();
    const inOrder = await (await app.request(`/api/v1/chat/sessions/${session}/messages?order=asc`)).json();
    expect(inOrder.messages.map((entry: { role: string }) => entry.role)).toEqual(['user', 'assistant']);
    expect((await (await app.request('/v1/gallery?limit=200')).json()).items.length).toBe(before);
  });

  it('asks which image when asked to upscale with none', async () => {
    const { message } = await chat('upscale it');
    expect(message.clarification).toMatch(/Which image/);
  });

  it('deletes a session', async () => {
    const session = (await (await app.request('/api/v1/chat/sessions', json({ title: 't' }))).json()).session_id;
    expect((await app.request(`/api/v1/chat/sessions/${session}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.request(`/api/v1/chat/sessions/${session}`)).status).toBe(404);
  });
});

describe('direct flow', () => {
  it('upscales a real photo to twice its size, recorded with direct metadata', async () => {
    const form = new FormData();
    form.set('image', new Blob([chelsea], { type: 'image/png' }), 'chelsea.png');
    form.set('scale', '2');
    const response = await app.request('/v1/features/upscale', { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.images[0]).toMatchObject({ width: 902, height: 600 });
    const stored = new Uint8Array(await (await app.request(result.image_url)).arrayBuffer());
    expect(await sharp(stored).metadata()).toMatchObject({ width: 902, height: 600 });
    const item = await (await app.request(`/v1/gallery/${result.images[0].gallery_id}`)).json();
    expect(item).toMatchObject({ intent: 'image_upscale', provider: 'local', model: 'lanczos3', metadata: { source: 'direct' } });
    expect(item.metadata.session_id).toBeUndefined();
  });

  it('accepts base64 objects and data URIs and generates from a prompt', async () => {
    const base64 = await app.request('/v1/features/upscale/', json({ image: { base64: chelsea.toString('base64'), mime_type: 'image/png' }, scale: 4, format: 'jpeg' }));
    expect(base64.status).toBe(200);
    expect((await base64.json()).images[0]).toMatchObject({ width: 1804, height: 1200, mime_type: 'image/jpeg' });
    // A body cannot name its owner: a field the feature does not take is refused, naming it.
    const impersonating = await app.request('/v1/features/image-generation', json({ prompt: 'a lighthouse', user_id: 'bob' }));
    expect(impersonating.status).toBe(400);
    expect((await impersonating.json()).error.message).toContain('user_id');
    const generated = await app.request('/v1/features/image-generation', json({ prompt: 'a lighthouse', aspect_ratio: '16:9', seed: 7 }));
    const body = await generated.json();
    expect(body.images[0]).toMatchObject({ width: 1024, height: 576 });
    expect(body.seed).toBe(7);
    const again = await (await app.request('/v1/features/image-generation', json({ prompt: 'a lighthouse', aspect_ratio: '16:9', seed: 7 }))).json();
    const bytes = async (url: string) => Buffer.from(await (await app.request(url)).arrayBuffer());
    expect((await bytes(again.image_url)).equals(await bytes(body.image_url))).toBe(true);
  });

  it('answers 202 with a job under Prefer: respond-async and returns the same job for the same Idempotency-Key', async () => {
    const request = () => app.request('/v1/features/image-generation', json({ prompt: 'a fox', seed: 1 }, { prefer: 'respond-async', 'idempotency-key': 'fox-1' }));
    const first = await (await request()).json();
    const second = await request();
    expect(second.status).toBe(202);
    expect((await second.json()).job_id).toBe(first.job_id);
    const mismatch = await app.request('/v1/features/image-generation', json({ prompt: 'a wolf' }, { 'idempotency-key': 'fox-1', prefer: 'respond-async' }));
    expect(mismatch.status).toBe(422);
    const job = await engine.jobs.wait('local', first.job_id);
    expect(job.state).toBe('succeeded');
    expect((await (await app.request(`/v1/jobs/${first.job_id}`)).json()).steps[0]).toMatchObject({ status: 'succeeded' });
  });
});

describe('gallery', () => {
  it('creates, soft-deletes, lists deleted, restores and permanently deletes (with the file)', async () => {
    const created = await app.request('/v1/gallery', json({ image: `data:image/png;base64,${chelsea.toString('base64')}`, refined_prompt: 'my cat', intent: 'upload' }));
    expect(created.status).toBe(201);
    const item = await created.json();
    expect(item.metadata.source).toBe('direct');
    expect((await app.request(`/v1/gallery/${item.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.request(`/v1/gallery/${item.id}`)).status).toBe(404);
    expect((await (await app.request('/v1/gallery/deleted')).json()).items.map((row: { id: string }) => row.id)).toContain(item.id);
    expect((await (await app.request(`/v1/gallery/${item.id}/restore`, { method: 'POST' })).json()).deleted_at).toBeNull();
    expect((await app.request(`/v1/gallery/${item.id}/permanent`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.request(item.image_url)).status).toBe(404);
    expect((await app.request(`/v1/gallery/${item.id}/restore`, { method: 'POST' })).status).toBe(404);
  });
});

describe('bad input gets a 4xx with an error code and writes nothing', () => {
  const cases: Array<[string, string, RequestInit]> = [
    ['invalid JSON', '/v1/features/upscale', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"image":' }],
    ['JSON array body', '/v1/features/upscale', json([1, 2])],
    ['missing image', '/v1/features/upscale', json({ scale: 2 })],
    ['absurd scale', '/v1/features/upscale', json({ image: { base64: chelsea.toString('base64') }, scale: 3 })],
    ['not base64', '/v1/features/upscale', json({ image: { base64: '!!!notbase64***' } })],
    ['not an image', '/v1/features/upscale', json({ image: { base64: Buffer.from('hello world, not an image').toString('base64') } })],
    ['truncated image', '/v1/features/upscale', json({ image: { base64: chelsea.subarray(0, 2000).toString('base64') } })],
    ['unknown asset', '/v1/features/upscale', json({ image: { asset_id: 'ast_nope' } })],
    ['empty prompt', '/v1/features/image-generation', json({ prompt: '   ' })],
    ['huge size', '/v1/features/image-generation', json({ prompt: 'x', width: 100000, height: 5 })],
    ['wrong content type', '/v1/features/image-generation', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }],
    ['unknown feature', '/v1/features/teleport', json({})],
    ['unknown session', '/api/v1/chat/sessions/ses_nope/messages', json({ content: 'hi' })],
    ['unknown message', '/api/v1/chat/sessions/ses_nope/messages/msg_nope', { method: 'GET' }],
    ['content not a string', '/api/v1/chat/sessions/ses_nope/messages', json({ content: 42 })],
    ['unknown gallery item', '/v1/gallery/img_nope', { method: 'GET' }],
    ['bad gallery limit', '/v1/gallery?limit=-1', { method: 'GET' }],
    ['bad gallery source', '/v1/gallery?source=elsewhere', { method: 'GET' }],
    ['bad gallery record', '/v1/gallery', json({ image: 5 })],
    ['unknown job', '/v1/jobs/job_nope', { method: 'GET' }],
    ['unknown asset file', '/v1/assets/ast_nope', { method: 'GET' }],
    ['unknown route', '/v2/anything', { method: 'GET' }],
  ];

  it.each(cases)('%s', async (_name, path, init) => {
    const before = (await engine.gallery.list('local', { limit: 200 })).items.length;
    const response = await app.request(path, init);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = await response.json();
    expect(body.error.code).toEqual(expect.any(String));
    expect(body.error.message).toEqual(expect.any(String));
    expect((await engine.gallery.list('local', { limit: 200 })).items.length).toBe(before);
  });

  it('refuses an empty message in an existing session and keeps the session clean', async () => {
    const session = (await (await app.request('/api/v1/chat/sessions', json({}))).json()).session_id;
    const response = await app.request(`/api/v1/chat/sessions/${session}/messages`, json({ content: '  ' }));
    expect(response.status).toBe(400);
    expect((await (await app.request(`/api/v1/chat/sessions/${session}/messages`)).json()).messages).toEqual([]);
  });
});

it('reports health, models and liveness', async () => {
  expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
  const health = await (await app.request('/api/health/images')).json();
  expect(health).toMatchObject({ ok: true, database: { ok: true, dialect: 'sqlite' }, storage: { ok: true } });
  expect(health.providers[0]).toMatchObject({ provider: 'local', circuit: 'closed' });
  const models = (await (await app.request('/api/images/models')).json()).models;
  expect(models).toContainEqual(expect.objectContaining({ id: 'placeholder-not-ai', placeholder: true }));
});

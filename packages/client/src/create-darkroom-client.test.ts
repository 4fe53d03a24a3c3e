import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The server's own test helpers: a real createServer() over an in-memory engine with keys for ann and bob,
// and a provider that holds its call until the test opens it (for progress and cancellation).
import { createGatedProvider, sketchPlugin } from '../../server/src/testing/gated-provider.js';
import { keys, startTestServer, type TestServer } from '../../server/src/testing/test-server.js';
import { definePlugin } from '@darkroom/core';
import { collageFeature } from '@darkroom/core/testing';
import { createDarkroomClient, DarkroomApiError, type Job } from './index.js';

const photoPath = join(import.meta.dirname, '../../../docs/photos/chelsea.png');
const photo = new Uint8Array(readFileSync(photoPath));
const gated = createGatedProvider();
let test: TestServer;

/** A client of the test server as a user, through the app's own request (no socket). */
const clientAs = (user: keyof typeof keys | 'nobody', extra: { headers?: Record<string, string> } = {}) =>
  createDarkroomClient({ baseUrl: 'http://darkroom.test', ...(user === 'nobody' ? {} : { apiKey: keys[user] }), fetch: (input, init) => Promise.resolve(test.server.app.request(input as string, init)), ...extra });

beforeAll(async () => {
  test = await startTestServer({ engine: { plugins: [sketchPlugin, definePlugin({ name: 'collage-plugin', features: [collageFeature] })], providers: [gated.provider], routing: { 'text-to-image': ['gated', 'local'] } }, server: { heartbeatMs: 50, imageUrls: { maxImages: 3 } } });
});
afterAll(() => test.close());

const pngSignature = [0x89, 0x50, 0x4e, 0x47];

describe('@darkroom/client against a real server', () => {
  it('answers health and readiness', async () => {
    const client = clientAs('nobody');
    expect(await client.health()).toEqual({ status: 'ok' });
    const ready = await client.ready();
    expect(ready.ok).toBe(true);
    expect(ready.database.ok).toBe(true);
  });

  it('lists every feature with its input schema, plugins included', async () => {
    const features = await clientAs('ann').features.list();
    const upscale = features.find((feature) => feature.id === 'upscale')!;
    expect(upscale).toMatchObject({ route: 'upscale', path: '/v1/features/upscale', image_fields: ['image'], async: true, capability: 'upscale' });
    expect((upscale.input_schema.properties as Record<string, unknown>).scale).toBeDefined();
    expect(features.find((feature) => feature.id === 'object-removal')!.image_fields).toEqual(['image', 'mask']);
    expect(features.map((feature) => feature.id)).toContain('sketch');
  });

  it('runs a feature on an image given as bytes, a Blob, a file path, a data URI and a stored asset (multipart for uploads)', async () => {
    const client = clientAs('ann');
    const seen: string[] = [];
    const spying = createDarkroomClient({
      baseUrl: 'http://darkroom.test',
      apiKey: keys.ann,
      fetch: (input, init) => {
        seen.push(init?.body instanceof FormData ? 'multipart' : String((init?.headers as Record<string, string>)['content-type'] ?? 'none'));
        return Promise.resolve(test.server.app.request(input as string, init));
      },
    });
    const fromBytes = await spying.features.run('upscale', { image: photo, scale: 2 });
    expect(fromBytes.images).toHaveLength(1);
    expect(fromBytes.images[0]!.width).toBe(2 * 451);
    const fromBlob = await spying.features.run('enhance', { image: new Blob([photo], { type: 'image/png' }) });
    const fromPath = await spying.features.run('enhance', { image: { path: photoPath } });
    expect(seen.filter((kind) => kind === 'multipart')).toHaveLength(3);
    const fromDataUri = await client.features.run('enhance', { image: `data:image/png;base64,${Buffer.from(photo).toString('base64')}` });
    const fromAsset = await client.features.run('enhance', { image: { assetId: fromPath.images[0]!.asset_id } });
    for (const result of [fromBlob, fromPath, fromDataUri, fromAsset]) expect(result.feature).toBe('enhance');
    const { bytes, mimeType } = await client.assets.get(fromBytes.images[0]!.asset_id);
    expect([...bytes.subarray(0, 4)]).toEqual(pngSignature);
    expect(mimeType).toBe('image/png');
  });

  it('takes any ImageSource in any image field of a feature (its image_fields), a list field an array of them', async () => {
    const client = clientAs('ann');
    const uploaded = await client.features.run('collage', { reference: photo, extras: [new Blob([photo], { type: 'image/png' }), { path: photoPath }] });
    expect(uploaded.metadata).toMatchObject({ loaded: ['451x300', '451x300', '451x300'] });
    const named = await client.features.run('collage', { reference: { assetId: uploaded.images[0]!.asset_id }, extras: [`data:image/png;base64,${Buffer.from(photo).toString('base64')}`] });
    expect(named.metadata).toMatchObject({ loaded: ['902x600', '451x300'] });
    await expect(client.features.run('collage', { reference: photo, extras: [photo, { assetId: 'ast_x' }] })).rejects.toThrow(/^extras: a list sent with uploads takes uploads only/);
    await expect(client.features.run('collage', { reference: photo, title: photo })).rejects.toThrow(/^title: takes no image, so no uploaded bytes \(the image fields here: reference, extras\)/);
  });

  it('submits a job, waits with progress from the event stream, and lists it', async () => {
    const client = clientAs('ann');
    gated.reset();
    const accepted = await client.features.submit('sketch', { prompt: 'a boat' });
    expect(accepted.status_url).toBe(`/v1/jobs/${accepted.job_id}`);
    const progress: Job[] = [];
    const waiting = client.jobs.wait(accepted.job_id, { onProgress: (job) => progress.push(job) });
    await gated.started();
    gated.open();
    const done = await waiting;
    expect(done.state).toBe('succeeded');
    expect(done.progress).toBe(100);
    // The sketch reports progress before its provider call, which waits for the gate: seen while running.
    expect(progress.some((job) => job.state === 'running' && job.progress > 0 && job.progress < 100), JSON.stringify(progress.map((job) => [job.state, job.progress]))).toBe(true);
    const page = await client.jobs.list({ state: 'succeeded', limit: 50 });
    expect(page.jobs.map((job) => job.id)).toContain(accepted.job_id);
    expect(await clientAs('bob').jobs.list()).toMatchObject({ jobs: [] });
  });

  it('streams a job\'s events as typed objects, ending after the final one', async () => {
    const client = clientAs('ann');
    const accepted = await client.features.submit('enhance', { image: photo });
    const events: string[] = [];
    for await (const event of client.jobs.events(accepted.job_id)) {
      events.push(event.event);
      if (event.event === 'job.progress') expect(event.data.progress).toBeGreaterThanOrEqual(0);
    }
    expect(events[0]).toBe('snapshot');
    expect(['job.succeeded', 'snapshot']).toContain(events.at(-1));
    expect((await client.jobs.get(accepted.job_id)).state).toBe('succeeded');
  });

  it('falls back to polling when the event stream cannot be read', async () => {
    const client = createDarkroomClient({
      baseUrl: 'http://darkroom.test',
      apiKey: keys.ann,
      fetch: (input, init) => (String(input).endsWith('/events') ? Promise.reject(new TypeError('fetch failed')) : Promise.resolve(test.server.app.request(input as string, init))),
    });
    const accepted = await client.features.submit('enhance', { image: photo });
    const states: string[] = [];
    const done = await client.jobs.wait(accepted.job_id, { pollMs: 20, onProgress: (job) => states.push(job.state) });
    expect(done.state).toBe('succeeded');
    expect(states.at(-1)).toBe('succeeded');
  });

  it('cancels a running job (after a wait given up with its signal)', async () => {
    const client = clientAs('ann');
    gated.reset();
    const accepted = await client.features.submit('sketch', { prompt: 'a slow boat' });
    await gated.started();
    const abort = new AbortController();
    const waiting = client.jobs.wait(accepted.job_id, { signal: abort.signal });
    abort.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect((await client.jobs.get(accepted.job_id)).state).toBe('running');
    await client.jobs.cancel(accepted.job_id);
    const ended = await client.jobs.wait(accepted.job_id);
    expect(ended.state).toBe('cancelled');
  });

  it('chats: creates a session, sends a photo and waits for the reply, pages messages, streams events, deletes', async () => {
    const client = clientAs('ann');
    const session = await client.sessions.create({ title: 'client test' });
    expect(await client.sessions.get(session.id)).toMatchObject({ id: session.id, title: 'client test' });
    const steps: number[] = [];
    const reply = await client.sessions.sendAndWait(session.id, { text: 'enhance this photo', image: photo }, { onProgress: (job) => steps.push(job.progress) });
    expect(reply.status).toBe('DONE');
    expect(reply.role).toBe('assistant');
    expect(reply.images?.[0]?.feature).toBe('enhance');
    const page = await client.sessions.messages(session.id, { order: 'asc' });
    expect(page.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    const abort = new AbortController();
    const stream = client.sessions.events(session.id, { signal: abort.signal });
    for await (const event of stream) {
      expect(event.event).toBe('snapshot');
      if (event.event === 'snapshot') expect(event.data.messages).toHaveLength(2);
      break;
    }
    abort.abort();
    const sent = await client.sessions.send(session.id, { text: 'make it noir' }, { idempotencyKey: 'client-test-noir' });
    expect(await client.sessions.send(session.id, { text: 'make it noir' }, { idempotencyKey: 'client-test-noir' })).toEqual(sent);
    await client.jobs.wait(sent.job_id);
    await client.sessions.delete(session.id);
    await expect(client.sessions.get(session.id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('lists sessions most recently active first, a page at a time, and renames and describes them', async () => {
    const client = clientAs('bob');
    const first = await client.sessions.create({ title: 'Rings', description: 'Gold and rubies on white' });
    expect(first).toMatchObject({ title: 'Rings', description: 'Gold and rubies on white' });
    const second = await client.sessions.create();
    expect(second.description).toBeNull();
    // A millisecond later at least, so the rename makes it the most recently active.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const renamed = await client.sessions.update(first.id, { title: 'Spring rings', description: null });
    expect(renamed).toMatchObject({ id: first.id, title: 'Spring rings', description: null });
    const page = await client.sessions.list({ limit: 1 });
    expect(page.sessions.map((session) => session.id)).toEqual([first.id]);
    expect((await client.sessions.list({ limit: 100, cursor: page.next_cursor! })).sessions.map((session) => session.id)).toContain(second.id);
    await expect(client.sessions.update(first.id, {})).rejects.toMatchObject({ code: 'invalid_input', status: 400 });
    await expect(clientAs('ann').sessions.update(first.id, { title: 'not yours' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(client.sessions.list({ cursor: 'nope' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('next_cursor') });
  });

  it('keeps, lists, soft-deletes, restores and deletes gallery items; signs and resolves asset URLs', async () => {
    const client = clientAs('ann');
    const kept = await client.gallery.create({ image: photo, intent: 'keep', metadata: { album: 'client' } });
    expect(kept.metadata.source).toBe('direct');
    expect((await client.gallery.list({ intent: 'keep' })).items.map((item) => item.id)).toContain(kept.id);
    expect((await client.gallery.get(kept.id)).asset_id).toBe(kept.asset_id);
    await client.gallery.delete(kept.id);
    expect((await client.gallery.listDeleted()).items.map((item) => item.id)).toContain(kept.id);
    expect((await client.gallery.restore(kept.id)).deleted_at).toBeNull();
    const signed = await client.assets.signedUrl(kept.asset_id, { expiresIn: 120 });
    expect(signed.url).toMatch(/^http:\/\/darkroom\.test\/v1\/assets\/.+\?token=/);
    expect((await test.server.app.request(signed.url)).status).toBe(200);
    expect(client.assets.url(kept.asset_id)).toBe(`http://darkroom.test/v1/assets/${kept.asset_id}`);
    await client.gallery.deletePermanently(kept.id);
    await expect(client.gallery.get(kept.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects with typed errors carrying the server\'s code, status and details', async () => {
    const unauthorized = await clientAs('nobody').jobs.list().catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(DarkroomApiError);
    expect(unauthorized).toMatchObject({ code: 'unauthorized', status: 401, retryable: false });
    const invalid = await clientAs('ann').features.run('upscale', { image: photo, scale: 3 }).catch((error: unknown) => error as DarkroomApiError);
    expect(invalid).toMatchObject({ code: 'invalid_input', status: 400 });
    expect((invalid as DarkroomApiError).message).toContain('scale');
    await expect(clientAs('ann').features.run('no-such-feature', {})).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('upscale') });
    await expect(clientAs('bob').jobs.get((await clientAs('ann').features.submit('enhance', { image: photo })).job_id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('reports rate limits as retryable with the wait the server asked for', async () => {
    const limited = await startTestServer({ server: { rateLimit: { limit: 1, windowSeconds: 60 } } });
    try {
      const client = createDarkroomClient({ baseUrl: 'http://darkroom.test', apiKey: keys.ann, fetch: (input, init) => Promise.resolve(limited.server.app.request(input as string, init)) });
      await client.jobs.list();
      const error = (await client.jobs.list().catch((caught: unknown) => caught)) as DarkroomApiError;
      expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true });
      expect(error.retryAfterMs).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('sends { url } and http(s) strings for the server to fetch (which refuses loopback addresses, saying so)', async () => {
    for (const image of [{ url: 'http://127.0.0.1:9/photo.png' }, 'http://127.0.0.1:9/photo.png']) {
      const error = (await clientAs('ann').features.run('enhance', { image }).catch((caught: unknown) => caught)) as DarkroomApiError;
      expect(error).toBeInstanceOf(DarkroomApiError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/127\.0\.0\.1|public|address/i);
    }
  });

  it('answers readiness while draining as not ready instead of throwing', async () => {
    const draining = await startTestServer();
    try {
      draining.server.drain();
      const client = createDarkroomClient({ baseUrl: 'http://darkroom.test', fetch: (input, init) => Promise.resolve(draining.server.app.request(input as string, init)) });
      expect((await client.ready()).ok).toBe(false);
      await expect(client.sessions.create()).rejects.toMatchObject({ code: 'unavailable', status: 503, retryable: true, retryAfterMs: 5000 });
    } finally {
      await draining.close();
    }
  });

  it('reports an unreachable server as unavailable', async () => {
    const error = (await createDarkroomClient({ baseUrl: 'http://127.0.0.1:9' }).health().catch((caught: unknown) => caught)) as DarkroomApiError;
    expect(error).toBeInstanceOf(DarkroomApiError);
    expect(error).toMatchObject({ code: 'unavailable', status: 0, retryable: true });
    expect(error.message).toContain('http://127.0.0.1:9/health');
  });

  it('works under a base path, resolving the URLs the server writes', async () => {
    const mounted = await startTestServer({ server: { basePath: '/studio' } });
    try {
      const client = createDarkroomClient({ baseUrl: 'http://darkroom.test/studio/', apiKey: keys.ann, fetch: (input, init) => Promise.resolve(mounted.server.fetch(new Request(input as string, init))) });
      const result = await client.features.run('enhance', { image: photo });
      expect(result.images[0]!.url).toMatch(/^\/studio\/v1\/assets\//);
      expect(client.absoluteUrl(result.images[0]!.url)).toBe(`http://darkroom.test${result.images[0]!.url}`);
      expect((await client.assets.get(result.images[0]!.asset_id)).bytes.length).toBeGreaterThan(0);
    } finally {
      await mounted.close();
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@darkroom/core';
import { startFakeRunware, type FakeRunware } from '../../providers/runware/src/testing-fake-runware.js';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/images');
const chelsea = `data:image/png;base64,${readFileSync(join(fixtures, 'chelsea.png')).toString('base64')}`;
let fake: FakeRunware;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fake = await startFakeRunware();
});
afterAll(() => fake.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  fake.tasks.length = 0;
  fake.script.length = 0;
});

async function engineWith(options: Parameters<typeof createDefaultEngine>[0]): Promise<Engine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-runware-'));
  const engine = await createDefaultEngine({ dataDir, runware: { apiKey: fake.key, baseURL: fake.url, timeoutMs: 5_000 }, runner: { pollMs: 50 }, ...options });
  cleanups.push(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return engine;
}

describe('routing to Runware', () => {
  it('falls back to local when Runware answers 503, and the job records both attempts', async () => {
    const engine = await engineWith({ routing: { upscale: ['runware', 'local'] } });
    fake.script.push({ status: 503, body: JSON.stringify({ errors: [{ code: 'serviceUnavailable', message: 'overloaded' }] }) });
    const result = await engine.run('upscale', { image: chelsea, scale: 2 });
    expect(result.provider).toBe('local');
    expect(result.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([['runware', 'failed'], ['local', 'succeeded']]);
    const job = await engine.jobs.get('local', result.jobId);
    expect((job.result as { attempts: unknown[] }).attempts).toHaveLength(2);
  });

  it('skips a provider that keeps failing, then tries it again after the cool-down', async () => {
    const engine = await engineWith({ routing: { upscale: ['runware', 'local'] }, breaker: { failureThreshold: 2, cooldownMs: 3000 } });
    const unavailable = { status: 503, body: JSON.stringify({ errors: [{ code: 'serviceUnavailable', message: 'down' }] }) };
    fake.script.push(unavailable, unavailable);
    for (let call = 0; call < 2; call += 1) expect((await engine.run('upscale', { image: chelsea, scale: 2 })).provider).toBe('local');
    const skipped = await engine.run('upscale', { image: chelsea, scale: 2 });
    expect(skipped.attempts[0]).toMatchObject({ provider: 'runware', outcome: 'skipped' });
    expect(fake.tasks).toHaveLength(2);
    expect((await engine.health()).providers.find((report) => report.provider === 'runware')).toMatchObject({ circuit: 'open', ok: false });
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const recovered = await engine.run('upscale', { image: chelsea, scale: 2 });
    expect(recovered.provider).toBe('runware');
    expect(fake.tasks).toHaveLength(3);
  });

  it('serves every feature Runware can do on Runware, from the direct route and from chat, with cost recorded', async () => {
    const engine = await engineWith({
      routing: { 'text-to-image': ['runware'], upscale: ['runware'], 'remove-background': ['runware'], inpaint: ['runware'], outpaint: ['runware'], 'image-to-image': ['runware'] },
    });
    const app = createServer({ engine }).app;
    const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const routes: Array<[string, Record<string, unknown>]> = [
      ['image-generation', { prompt: 'a lighthouse at dusk', width: 512, height: 512 }],
      ['upscale', { image: chelsea, scale: 2 }],
      ['remove-background', { image: chelsea }],
      ['object-removal', { image: chelsea, mask: chelsea }],
      ['image-expand', { image: chelsea, left: 64 }],
      ['reimagine', { image: chelsea, prompt: 'as a watercolor' }],
    ];
    for (const [route, body] of routes) {
      const response = await post(`/v1/features/${route}`, body);
      const result = await response.json();
      expect(response.status, `${route}: ${JSON.stringify(result)}`).toBe(200);
      expect(result.provider).toBe('runware');
      const item = await engine.gallery.get('local', result.images[0].gallery_id);
      expect(item).toMatchObject({ provider: 'runware', model: expect.any(String), origin: { source: 'direct' }, metadata: { cost: expect.any(Number), task_uuid: expect.any(String) } });
    }
    expect(fake.tasks.map((task) => task.taskType)).toEqual(['imageInference', 'upscale', 'removeBackground', 'imageInference', 'imageInference', 'imageInference']);
    const session = await engine.chat.createSession('local');
    const sent = await engine.chat.send({ userId: 'local', sessionId: session.id, content: 'create a lighthouse at dusk, then remove the background' });
    await engine.jobs.wait('local', sent.jobId);
    const reply = await engine.chat.message('local', session.id, sent.messageId);
    expect(reply.status).toBe('DONE');
    for (const image of reply.data.images!) expect((await engine.gallery.get('local', image.galleryId)).provider).toBe('runware');
    expect((await engine.gallery.get('local', reply.data.images![0]!.galleryId)).seed).toEqual(expect.any(Number));
  });

  it('lists Runware truthfully in models and health', async () => {
    const engine = await engineWith({});
    const app = createServer({ engine }).app;
    const models = (await (await app.request('/api/images/models')).json()).models;
    expect(models).toContainEqual(expect.objectContaining({ provider: 'runware', id: 'runware:101@1', capabilities: expect.arrayContaining(['text-to-image', 'inpaint']) }));
    const health = await (await app.request('/api/health/images')).json();
    expect(health.providers.find((report: { provider: string }) => report.provider === 'runware')).toMatchObject({ ok: true, circuit: 'closed' });
  });
});

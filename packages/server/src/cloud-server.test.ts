import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeCloudinary, type FakeCloudinary } from '../../providers/cloudinary/src/testing-fake-cloudinary.js';
import { startFakeGemini, type FakeGemini } from '../../providers/gemini/src/testing-fake-gemini.js';
import { startFakeParasail, type FakeParasail } from '../../providers/parasail/src/testing-fake-parasail.js';
import { startFakeRunware, type FakeRunware } from '../../providers/runware/src/testing-fake-runware.js';

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/images');
const chelsea = `data:image/png;base64,${readFileSync(join(fixtures, 'chelsea.png')).toString('base64')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-cloud-server-'));
let gemini: FakeGemini;
let runware: FakeRunware;
let parasail: FakeParasail;
let cloudinary: FakeCloudinary;
let server: ChildProcess;
let base = '';

beforeAll(async () => {
  [gemini, runware, parasail, cloudinary] = await Promise.all([startFakeGemini(), startFakeRunware(), startFakeParasail(), startFakeCloudinary()]);
  server = spawn(process.execPath, ['--conditions=darkroom-source', '--import', 'tsx', join(import.meta.dirname, 'cli.ts'), 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      DARKROOM_DATA_DIR: dataDir,
      GEMINI_API_KEY: gemini.key, GEMINI_BASE_URL: gemini.url,
      RUNWARE_API_KEY: runware.key, RUNWARE_BASE_URL: runware.url,
      PARASAIL_API_KEY: parasail.key, PARASAIL_BASE_URL: parasail.url,
      CLOUDINARY_URL: cloudinary.cloudinaryUrl,
      DARKROOM_ROUTING: 'upscale=runware,local; remove-background=runware; text-to-image=gemini,runware; intent=gemini,parasail',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stderr!.on('data', (chunk) => (output += chunk));
  base = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url) resolve(url);
    });
    server.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}, 120_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await Promise.all([gemini?.close(), runware?.close(), parasail?.close(), cloudinary?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

it('serves every feature on the provider the routing names, from the direct routes', { timeout: 120_000 }, async () => {
  const expected: Array<[string, Record<string, unknown>, string]> = [
    ['image-generation', { prompt: 'a lighthouse at dusk' }, 'gemini'],
    ['upscale', { image: chelsea, scale: 2 }, 'runware'],
    ['remove-background', { image: chelsea }, 'runware'],
    ['relight', { image: chelsea, direction: 'left' }, 'gemini'],
    ['style-transfer', { image: chelsea, style: 'noir' }, 'gemini'],
    ['reimagine', { image: chelsea, prompt: 'as a watercolor' }, 'gemini'],
    ['image-expand', { image: chelsea, left: 64 }, 'gemini'],
    ['object-removal', { image: chelsea, mask: chelsea }, 'gemini'],
    ['enhance', { image: chelsea }, 'local'],
  ];
  for (const [route, body, provider] of expected) {
    const response = await post(`/v1/features/${route}`, body);
    const result = await response.json();
    expect(response.status, `${route}: ${JSON.stringify(result)}`).toBe(200);
    expect(result.provider, route).toBe(provider);
    expect(result.image_url, route).toMatch(new RegExp(`^${cloudinary.url}/demo-cloud/image/upload/`));
  }
});

it('uses Gemini function calling for chat intents and answers with Cloudinary URLs', { timeout: 120_000 }, async () => {
  const session = (await (await post('/api/v1/chat/sessions', {})).json()).session_id;
  const { message_id } = await (await post(`/api/v1/chat/sessions/${session}/messages`, { content: 'create a sunset over the sea, then upscale it 2x' })).json();
  let message: Record<string, any> = {};
  for (let tries = 0; tries < 400 && message.status !== 'DONE' && message.status !== 'FAILED'; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    message = await (await fetch(`${base}/api/v1/chat/sessions/${session}/messages/${message_id}`)).json();
  }
  expect(message).toMatchObject({ status: 'DONE', detector: 'gemini:gemini-2.5-flash' });
  expect(message.image_url).toMatch(new RegExp(`^${cloudinary.url}/`));
  expect(gemini.requests.some((request) => request.body.tools)).toBe(true);
});

it('lists every configured provider truthfully', async () => {
  const models = (await (await fetch(`${base}/api/images/models`)).json()).models as Array<{ provider: string }>;
  expect([...new Set(models.map((model) => model.provider))].sort()).toEqual(['gemini', 'local', 'parasail', 'runware']);
  const health = await (await fetch(`${base}/api/health/images`)).json();
  expect(health.storage).toMatchObject({ name: 'cloudinary', ok: true });
  for (const report of health.providers) expect(report).toMatchObject({ ok: true, circuit: 'closed', capabilities: expect.any(Array), models: expect.any(Array) });
});

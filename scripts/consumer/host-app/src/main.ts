// A host app as a user writes it: the engine in process with plugins by object, by package name
// (installed in this app) and by path, then the HTTP server mounted under /studio of the app's own
// Hono app. Every step's outcome goes into one JSON report on stdout; a failed check exits 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import sharp from 'sharp';
import {
  createEngine,
  DarkroomError,
  type DetectedIntentRecord,
  type EngineEvent,
  type FeatureRunResult,
  type GalleryPage,
  type Message,
  type StoredAsset,
} from '@darkroom/core';
import generate from '@darkroom/plugin-generate';
import upscale from '@darkroom/plugin-upscale';
import { createLocalProvider } from '@darkroom/provider-local';
import { ApiKeyVerifier, createServer, jsonLogger, listen, parseApiKeys, type LogEntry, type ServerEnv } from '@darkroom/server';

const checks: Array<{ name: string; ok: boolean; detail?: unknown }> = [];
function check(name: string, ok: boolean, detail?: unknown): void {
  checks.push({ name, ok, ...(detail === undefined ? {} : { detail }) });
}
async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof DarkroomError ? error.code : `untyped: ${String(error)}`;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-host-'));
const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 30, g: 110, b: 190 } } }).png().toBuffer();
const image = { base64: png.toString('base64'), mime_type: 'image/png' as const };

const engine = await createEngine({
  plugins: [generate, upscale, 'darkroom-plugin-halftone', './plugins/sepia-print.js'],
  providers: [createLocalProvider()],
  dataDir,
});
const events: EngineEvent['type'][] = [];
engine.on((event) => events.push(event.type));

// Library: a built-in feature, the installed plugin's own capability, the path-loaded plugin.
const upscaled: FeatureRunResult & { jobId: string } = await engine.run('upscale', { image, scale: 2 }, { userId: 'alice' });
check('upscale doubles the size', upscaled.images[0]?.width === 192 && upscaled.images[0]?.height === 128, upscaled.images[0]);
const halftoned = await engine.run('halftone', { image, dotSize: 8 }, { userId: 'alice' });
check('the plugin loaded by name runs its own capability', halftoned.provider === 'dots', { provider: halftoned.provider });
const sepia = await engine.run('sepia-print', { image }, { userId: 'alice' });
check('the plugin loaded by path runs', sepia.images.length === 1 && sepia.provider === 'local', { provider: sepia.provider });
const asset: StoredAsset = await engine.assets.get('alice', upscaled.images[0]!.assetId);
check('assets are typed records', asset.id === upscaled.images[0]!.assetId, asset.id);

// Cancel like fetch: an aborted signal cancels; an already-aborted one queues nothing.
const preAborted = AbortSignal.abort(new Error('changed my mind'));
check('a pre-aborted signal rejects with cancelled', (await code(engine.run('upscale', { image, scale: 4 }, { userId: 'alice', signal: preAborted }))) === 'cancelled');

// Chat: a two-step turn; intents are typed records.
const session = await engine.chat.createSession('alice');
const sent = await engine.chat.send({ userId: 'alice', sessionId: session.id, content: 'create a lighthouse at dusk, then upscale it 2x' });
await engine.jobs.wait('alice', sent.jobId, { timeoutMs: 60_000 });
const reply: Message = await engine.chat.message('alice', session.id, sent.messageId);
const intents: DetectedIntentRecord[] = reply.data.intents ?? [];
check('chat answers a two-step turn', reply.status === 'DONE' && intents.map((intent) => intent.feature).join('+') === 'generate+upscale', { status: reply.status, intents: intents.map((intent) => intent.feature) });
const gallery: GalleryPage = await engine.gallery.list('alice');
check('the gallery holds the results', gallery.items.length >= 4, gallery.items.length);
check('events arrive', events.includes('job.succeeded') && events.includes('job.progress'), [...new Set(events)]);

// The server under /studio of the host app.
const logs: LogEntry[] = [];
const darkroom = createServer({
  engine,
  basePath: '/studio',
  apiKeys: new ApiKeyVerifier(parseApiKeys('alice:alice-key-0123456789abcdef')),
  log: (entry) => logs.push(entry),
});
const host = new Hono();
host.get('/', (c) => c.text('the host app'));
host.route('/studio', darkroom.app);
const auth = { authorization: 'Bearer alice-key-0123456789abcdef' };
check('the host keeps its own routes', (await (await host.request('/')).text()) === 'the host app');
check('public routes answer under the prefix without a key', (await host.request('/studio/health')).status === 200);
check('protected routes need a key under the prefix', (await host.request('/studio/v1/gallery')).status === 401 && (await host.request('/studio/v1/gallery', { headers: auth })).status === 200);
const submitted = await host.request('/studio/v1/features/upscale', {
  method: 'POST',
  headers: { ...auth, 'content-type': 'application/json', prefer: 'respond-async' },
  body: JSON.stringify({ image, scale: 2 }),
});
const job = (await submitted.json()) as { status_url?: string };
check('job URLs carry the prefix', submitted.status === 202 && (submitted.headers.get('location') ?? '').startsWith('/studio/') && (job.status_url ?? '').startsWith('/studio/'), { status: submitted.status, location: submitted.headers.get('location'), job });
const openapi = (await (await host.request('/studio/openapi.json')).json()) as { servers?: Array<{ url: string }> };
check('OpenAPI names the prefix', openapi.servers?.[0]?.url === '/studio', openapi.servers);
const typedEnv: ServerEnv | undefined = undefined;
check('server types are exported', typedEnv === undefined && typeof jsonLogger === 'function' && logs.length > 0);

// Over a real socket too.
let listener: ReturnType<typeof listen> | undefined;
const port = await new Promise<number>((resolve) => {
  listener = listen(host.fetch, { port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
});
check('served over HTTP under the prefix', (await fetch(`http://127.0.0.1:${port}/studio/health`)).status === 200);
await new Promise<void>((resolve) => listener?.close(() => resolve()));

await darkroom.close();
await engine.close();
check('a closed engine answers unavailable', (await code(engine.run('upscale', { image }, { userId: 'alice' }))) === 'unavailable');
rmSync(dataDir, { recursive: true, force: true });

const failed = checks.filter((entry) => !entry.ok);
console.log(JSON.stringify({ ok: failed.length === 0, checks }));
process.exitCode = failed.length === 0 ? 0 : 1;

import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDarkroomProcess } from './testing/darkroom-process.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoConversationStore } from '@darkroom/store-mongodb';
// The MongoDB test server of the store's own tests (jongodb, or DARKROOM_TEST_MONGODB_URL).
import { startTestMongo, testMongoPlan } from '../../store-mongodb/src/testing-mongo-server.js';
import { chelseaDataUri } from './testing/test-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const server = startDarkroomProcess('serve', ['serve'], { PORT: '0', DARKROOM_DATA_DIR: dataDir, ...env });
  return { child: server.child, exited: server.exited.then(({ code }) => code), listening: server.ready, output: server.output };
}

describe('darkroom serve', () => {
  it('refuses to listen beyond loopback without API keys, naming the fix', async () => {
    const server = start({ HOST: '0.0.0.0' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toMatch(/HOST: 0\.0\.0\.0 is not loopback.*DARKROOM_API_KEYS/);
  });

  it('serves under DARKROOM_BASE_PATH, and refuses a bad one naming the fix', { timeout: 120_000 }, async () => {
    const refused = start({ DARKROOM_BASE_PATH: 'studio/' });
    expect(await refused.exited).toBe(1);
    expect(refused.output().stderr).toMatch(/DARKROOM_BASE_PATH: must start with "\/": write "\/studio"/);
    const server = start({ DARKROOM_BASE_PATH: '/studio' });
    const url = await server.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/studio$/);
    expect(server.output().stdout).toContain(`"docs":"${url}/docs"`);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await (await fetch(`${url}/openapi.json`)).json()).servers).toEqual([{ url: '/studio' }]);
    expect((await fetch(`${new URL(url).origin}/health`)).status).toBe(404);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('announces development mode without keys', async () => {
    const server = start({});
    await server.listening;
    expect(server.output().stdout).toMatch(/single-user development mode/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('with keys: authenticates, reports readiness and metrics, logs requests without keys, and shuts down gracefully', { timeout: 120_000 }, async () => {
    const key = 'carol-key-0123456789abcdef';
    let server: ReturnType<typeof start> = start({ DARKROOM_API_KEYS: `carol:${key}` });
    const base = await server.listening;
    expect(server.output().stdout).toMatch(/"auth":"API keys \(1 configured\)"/);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    expect((await fetch(`${base}/v1/gallery`)).status).toBe(401);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, database: { ok: true }, storage: { ok: true }, queue: { ok: true }, workers: { ok: true } });
    const result = await (await fetch(`${base}/v1/features/enhance`, { method: 'POST', headers: auth, body: JSON.stringify({ image: chelseaDataUri }) })).json();
    expect(result.provider).toBe('local');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/darkroom_jobs\{state="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/darkroom_http_requests_total\{method="POST",route="\/v1\/features\/enhance",status="200"\} 1/);
    expect(metrics).toMatch(/darkroom_provider_calls_total\{capability="enhance",provider="local",outcome="succeeded"\} 1/);
    expect(metrics).toMatch(/darkroom_http_request_duration_seconds_bucket/);

    const accepted = await (await fetch(`${base}/v1/features/upscale`, { method: 'POST', headers: { ...auth, prefer: 'respond-async' }, body: JSON.stringify({ image: chelseaDataUri, scale: 4 }) })).json();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const { stdout } = server.output();
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.message === 'request').every((line) => typeof line.request_id === 'string' && typeof line.duration_ms === 'number')).toBe(true);
    expect(lines.find((line) => line.message === 'request' && line.route === '/v1/features/enhance')).toMatchObject({ user: 'carol', status: 200 });
    expect(stdout).not.toContain(key);
    expect(stdout).not.toContain(chelseaDataUri.slice(30, 90));
    expect(stdout).toMatch(/SIGTERM: shutting down/);

    server = start({ DARKROOM_API_KEYS: `carol:${key}` });
    const again = await server.listening;
    let job: { state: string } = { state: 'queued' };
    for (let tries = 0; tries < 400 && !['succeeded', 'failed', 'cancelled'].includes(job.state); tries += 1) {
      job = await (await fetch(`${again}/v1/jobs/${accepted.job_id}`, { headers: auth })).json();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job.state).toBe('succeeded');
    server.child.kill('SIGTERM');
    await server.exited;
  });
});

describe('darkroom serve with DARKROOM_MONGODB_URL', () => {
  const plan = testMongoPlan();
  it.skipIf(plan.kind === 'none')('keeps chat sessions and messages in MongoDB, and says so at start', { timeout: 120_000 }, async () => {
    const mongo = await startTestMongo(plan);
    const server = start({ DARKROOM_MONGODB_URL: mongo.url.replace(/\/[^/?]*(\?.*)?$/, `/${mongo.databaseName}`) });
    try {
      const base = await server.listening;
      expect(server.output().stdout).toMatch(/"conversations":"mongodb"/);
      expect(await (await fetch(`${base}/ready`)).json()).toMatchObject({ ok: true, database: { ok: true } });
      const session = await (await fetch(`${base}/api/v1/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
      const sent = await (await fetch(`${base}/api/v1/chat/sessions/${session.session_id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'create a sunset over mountains' }) })).json();
      let reply: { status?: string } = {};
      for (let tries = 0; tries < 400 && reply.status !== 'DONE' && reply.status !== 'FAILED'; tries += 1) {
        reply = await (await fetch(`${base}/api/v1/chat/sessions/${session.session_id}/messages/${sent.message_id}`)).json();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(reply, JSON.stringify(reply)).toMatchObject({ status: 'DONE' });
      // Read straight from MongoDB, not through the server.
      const store = createMongoConversationStore({ url: mongo.url, databaseName: mongo.databaseName });
      try {
        expect(await store.getSession('local', session.session_id)).toMatchObject({ id: session.session_id, userId: 'local' });
        const page = await store.listMessages('local', session.session_id, { order: 'asc' });
        expect(page.messages.map((message) => [message.role, message.status])).toEqual([['user', null], ['assistant', 'DONE']]);
      } finally {
        await store.close();
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await mongo.stop();
    }
  });
});

describe('darkroom command line', () => {
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const command = startDarkroomProcess(args.join(' '), args, { DARKROOM_DATA_DIR: dataDir, ...env });
    const { code } = await command.exited;
    return { code, ...command.output() };
  };

  it('refuses bad arguments and settings with exit code 2 or 1 and a message naming them', { timeout: 60_000 }, async () => {
    const [unknown, concurrency, redisAlone] = await Promise.all([
      run(['nonsense']),
      run(['worker', '--concurrency', '0']),
      run(['worker'], { DARKROOM_REDIS_URL: 'redis://127.0.0.1:6379' }),
    ]);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command 'nonsense'/) });
    expect(concurrency).toMatchObject({ code: 2, stderr: expect.stringMatching(/--concurrency.*must be a whole number from 1 to 1024/) });
    expect(redisAlone).toMatchObject({ code: 1, stderr: expect.stringMatching(/DARKROOM_REDIS_URL: the distributed engine also needs DARKROOM_DATABASE_URL/) });
  });

  it('runs a worker that takes no HTTP and drains on SIGTERM', { timeout: 60_000 }, async () => {
    const worker = startDarkroomProcess('worker', ['worker', '--concurrency', '2'], { DARKROOM_DATA_DIR: dataDir });
    await worker.ready;
    expect(JSON.parse(worker.output().stdout.split('\n')[0]!)).toMatchObject({ concurrency: 2, database: 'sqlite', queue: 'sql', events: 'in-process' });
    worker.child.kill('SIGTERM');
    const { stdout, stderr } = worker.output();
    expect(await worker.exited, `${stdout}\n${stderr}`).toEqual({ code: 0, signal: null });
    expect(worker.output().stdout).toMatch(/SIGTERM: shutting down/);
  });
});

describe('darkroom serve on a port in use', () => {
  it('says which setting to change and exits 1, without a stack trace', { timeout: 60_000 }, async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const server = start({ PORT: String(port) });
      expect(await server.exited).toBe(1);
      expect(server.output().stderr).toMatch(new RegExp(`PORT: ${port} on 127\\.0\\.0\\.1 is in use by another program; set PORT`));
      expect(server.output().stderr).not.toMatch(/node:events|at .*\.js:\d+/);
    } finally {
      taken.close();
    }
  });
});

// Server overhead: requests/s and latency of a direct feature route on an instant provider, against a
// bare Hono hello-world served the same way in the same run; the load comes from autocannon in another process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createEngine } from '@darkroom/core';
import { createInstantProvider, testPlugin } from '@darkroom/core/testing';
import { ApiKeyVerifier, createServer, parseApiKeys } from '@darkroom/server';
import { Hono } from 'hono';
import { mean, percentile, time } from './measure.ts';

const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const key = 'bench-key-0123456789abcdef';

async function listen(fetchHandler: (request: Request) => Response | Promise<Response>) {
  const server = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface LoadRun {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/**
 * autocannon in a process of its own (the load generator never shares the server's event loop):
 * `concurrency` keep-alive connections for `seconds`.
 */
async function load(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<LoadRun> {
  const args = [autocannon, '--json', '-c', String(concurrency), '-d', String(seconds), '-m', options.method ?? 'GET'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (options.body) args.push('-b', options.body);
  // Asynchronously: the servers under load live in this process's event loop.
  const child = spawn(process.execPath, [...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`autocannon failed: ${stderr}`);
  const report = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number };
  return { perSecond: report.requests.average, p50: report.latency.p50, p99: report.latency.p99, non2xx: report.non2xx };
}

const hello = new Hono();
hello.get('/', (c) => c.text('Hello Hono!'));
hello.post('/echo', async (c) => c.json({ received: await c.req.json() }));
const bare = await listen(hello.fetch);

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-server-'));
const engine = await createEngine({ dataDir, plugins: [testPlugin], providers: [createInstantProvider()], runner: { pollMs: 1000, concurrency: 16 } });
const darkroom = createServer({ engine, apiKeys: new ApiKeyVerifier(parseApiKeys(`bench:${key}`)), rateLimit: { limit: 1_000_000, windowSeconds: 60 } });
const served = await listen(darkroom.app.fetch);
const body = JSON.stringify({ prompt: 'a red boat', size: 16 });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };

const helloRun = await load(`${bare.url}/`);
const echoRun = await load(`${bare.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const featureRun = await load(`${served.url}/v1/features/paint`, { method: 'POST', headers, body });
const healthRun = await load(`${served.url}/health`);

console.log(`\nServer throughput: autocannon in its own process, ${concurrency} keep-alive connections for ${seconds} s each`);
const throughput = (name: string, run: LoadRun, goal = '') => ({
  case: name,
  'req/s': run.perSecond.toFixed(0),
  'p50 ms': run.p50.toFixed(2),
  'p99 ms': run.p99.toFixed(2),
  'not 2xx': run.non2xx,
  'req/s ratio vs hello-world': (run.perSecond / helloRun.perSecond).toFixed(3),
  goal,
});
console.table([
  throughput('bare Hono hello-world (GET /)', helloRun),
  throughput('bare Hono JSON echo (POST, same body)', echoRun),
  throughput('Darkroom GET /health (auth, rate limit, metrics, logs off)', healthRun),
  throughput('Darkroom POST /v1/features/paint (instant provider: job + asset + gallery in SQLite)', featureRun, '≥ 0.1 × hello-world, p99 ≤ 10 ms'),
]);

// Latency added by the server: one client, the same feature called through HTTP vs engine.run().
const runs = Number(process.env.BENCH_ROUNDS ?? 200);
const direct = await time(runs, () => engine.run('paint', { prompt: 'a red boat', size: 16 }, { userId: 'bench' }));
const viaHttp = await time(runs, async () => {
  const response = await fetch(`${served.url}/v1/features/paint`, { method: 'POST', headers, body });
  await response.arrayBuffer();
});
const helloOne = await time(runs, async () => (await fetch(`${bare.url}/`)).arrayBuffer());
console.log(`\nLatency added by the server (one client, ${runs} requests each)`);
console.table([
  { case: 'bare Hono hello-world over HTTP', 'mean ms': mean(helloOne).toFixed(2), 'p50 ms': percentile(helloOne, 50).toFixed(2), 'p99 ms': percentile(helloOne, 99).toFixed(2) },
  { case: 'engine.run("paint") in process (no HTTP)', 'mean ms': mean(direct).toFixed(2), 'p50 ms': percentile(direct, 50).toFixed(2), 'p99 ms': percentile(direct, 99).toFixed(2) },
  { case: 'POST /v1/features/paint over HTTP', 'mean ms': mean(viaHttp).toFixed(2), 'p50 ms': percentile(viaHttp, 50).toFixed(2), 'p99 ms': percentile(viaHttp, 99).toFixed(2) },
  {
    case: 'added by the server (HTTP route − engine.run)',
    'mean ms': (mean(viaHttp) - mean(direct)).toFixed(2),
    'p50 ms': (percentile(viaHttp, 50) - percentile(direct, 50)).toFixed(2),
    'p99 ms': (percentile(viaHttp, 99) - percentile(direct, 99)).toFixed(2),
  },
]);

bare.server.close();
served.server.close();
await darkroom.close();
await engine.close();
rmSync(dataDir, { recursive: true, force: true });

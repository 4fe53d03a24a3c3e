// Engine basics: direct upscale through the server, /health under load, chat turns per second.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import sharp from 'sharp';
import { defineProvider, type Engine } from '@darkroom/core';
import { createDefaultEngine, createServer } from '@darkroom/server';
import { createPixelPool } from '../packages/providers/local/src/create-pixel-pool.ts';
import { row, time } from './measure.ts';

const fixtures = join(import.meta.dirname, '../../shared/fixtures/images');
const photo = readFileSync(join(fixtures, process.env.BENCH_IMAGE ?? 'chelsea.png'));
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);

async function startServer(engine: Engine) {
  const server = serve({ fetch: createServer({ engine, rateLimit: false }).app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// 1. Direct upscale ×2 through the HTTP server vs the same pipeline without engine or server.
{
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-'));
  const engine = await createDefaultEngine({ dataDir, runner: { pollMs: 1000 } });
  const { server, url } = await startServer(engine);
  const pool = createPixelPool();
  const body = JSON.stringify({ image: { base64: photo.toString('base64') }, scale: 2 });
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const signal = new AbortController().signal;
  const pipeline = await time(rounds, async () => {
    const decoded = await sharp(photo).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const enlarged = await pool.run('lanczosUpscale', [decoded.data, width, height, decoded.info.channels, 2], signal);
    await sharp(enlarged, { raw: { width: width * 2, height: height * 2, channels: decoded.info.channels } }).png({ compressionLevel: 6 }).toBuffer();
  });
  const sharpResize = await time(rounds, () => sharp(photo).resize(width * 2, height * 2, { kernel: 'lanczos3' }).png({ compressionLevel: 6 }).toBuffer());
  const viaServer = await time(rounds, async () => {
    const response = await fetch(`${url}/v1/features/upscale`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (response.status !== 200) throw new Error(`upscale answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  });
  console.log(`\nDirect upscale ×2 of ${width}×${height} (${rounds} runs each; server = HTTP + validation + job + asset + gallery)`);
  console.table([
    row('same pixels, no engine: sharp decode → Lanczos worker → PNG', pipeline),
    row('through the server: POST /v1/features/upscale', viaServer, pipeline),
    row("sharp's own resize (bicubic when enlarging), for reference", sharpResize, pipeline),
  ]);

  // 2. /health latency while upscales run, vs idle.
  const idle = await time(200, () => fetch(`${url}/health`).then((response) => response.arrayBuffer()));
  let busy = true;
  const load = (async () => {
    while (busy) await fetch(`${url}/v1/features/upscale`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: { base64: photo.toString('base64') }, scale: 4 }) }).then((response) => response.arrayBuffer());
  })();
  const underLoad = await time(200, () => fetch(`${url}/health`).then((response) => response.arrayBuffer()));
  busy = false;
  await load;
  console.log('\nGET /health latency (200 requests)');
  console.table([row('idle server', idle), row('while ×4 upscales run back to back', underLoad, idle)]);
  server.close();
  await pool.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
}

// 3. Chat turns per second with instant providers, vs the same two features called directly.
{
  const small = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: 'orange' } }).png().toBuffer());
  const large = new Uint8Array(await sharp({ create: { width: 128, height: 128, channels: 3, background: 'orange' } }).png().toBuffer());
  const instant = defineProvider({
    id: 'instant',
    models: [{ id: 'instant', capabilities: ['text-to-image', 'upscale'] }],
    handlers: {
      'text-to-image': async () => ({ images: [{ bytes: small, mimeType: 'image/png', width: 64, height: 64 }], seed: 1 }),
      upscale: async () => ({ images: [{ bytes: large, mimeType: 'image/png', width: 128, height: 128 }] }),
    },
  });
  const turns = Number(process.env.BENCH_TURNS ?? 200);
  const results = [];
  for (const store of ['sqlite file', 'memory'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-'));
    const engine = await createDefaultEngine({
      ...(store === 'sqlite file' ? { dataDir } : {}),
      providers: [instant],
      routing: { 'text-to-image': ['instant'], upscale: ['instant'] },
      runner: { concurrency: 8, pollMs: 1000 },
    });
    const session = await engine.chat.createSession('bench');
    const direct = async () => {
      const generated = await engine.run('generate', { prompt: 'a sunset over mountains', seed: 1 }, { userId: 'bench' });
      await engine.run('upscale', { image: { asset_id: generated.images[0]!.assetId }, scale: 2 }, { userId: 'bench' });
    };
    const chat = async () => {
      const sent = await engine.chat.send({ userId: 'bench', sessionId: session.id, content: 'create a sunset over mountains, then upscale it 2x' });
      const job = await engine.jobs.wait('bench', sent.jobId);
      if (job.state !== 'succeeded') throw new Error(`chat turn ${job.state}: ${JSON.stringify(job.error)}`);
    };
    for (const [name, task] of [['direct: generate + upscale', direct], ['chat turn: plan + generate + upscale + reply', chat]] as const) {
      await task();
      const started = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next++ < turns) await task();
      }));
      const seconds = (performance.now() - started) / 1000;
      results.push({ store, case: name, turns, 'per second': (turns / seconds).toFixed(1) });
    }
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const store of ['sqlite file', 'memory']) {
    const [direct, chat] = results.filter((result) => result.store === store);
    Object.assign(chat!, { 'ratio vs direct': (Number(chat!['per second']) / Number(direct!['per second'])).toFixed(2) });
    Object.assign(direct!, { 'ratio vs direct': '1.00 (baseline)' });
  }
  console.log('\nChat turns per second with instant providers (8 concurrent clients, in-process engine)');
  console.table(results);
}

// Local features: background removal vs @imgly/background-removal-node, classic features through the
// engine vs the same pipeline called directly, and /health while background removal runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { removeBackground as imglyRemoveBackground } from '@imgly/background-removal-node';
import sharp from 'sharp';
import { inspectImage, type CapabilityRequest, type ImageData } from '@darkroom/core';
import { createLocalProvider } from '@darkroom/provider-local';
import { createDefaultEngine, createServer } from '@darkroom/server';
import { horseOnGrass, maskIoU } from '../packages/providers/local/src/testing-fixtures.ts';
import { mean, percentile, row, time } from './measure.ts';

const fixtures = join(import.meta.dirname, '../../shared/fixtures/images');
const load = async (name: string) => inspectImage(new Uint8Array(readFileSync(join(fixtures, name))));
const alphaOf = async (png: Uint8Array) => new Uint8Array(await sharp(png).ensureAlpha().extractChannel(3).png().toBuffer());
const base64 = (image: ImageData) => Buffer.from(image.bytes).toString('base64');
const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-features-'));
const engine = await createDefaultEngine({ dataDir, runner: { pollMs: 1000 } });
const signal = new AbortController().signal;

// 1. Background removal: the engine (HTTP-less, but job + asset + gallery) vs imgly's removeBackground().
{
  const rounds = Number(process.env.BENCH_BG_ROUNDS ?? 3);
  const horse = await horseOnGrass();
  const cases: Array<[string, ImageData, Uint8Array | undefined]> = [
    ['horse-on-grass 400×328', await inspectImage(horse.png), horse.truth],
    ['chelsea 451×300', await load('chelsea.png'), undefined],
    ['coffee 600×400', await load('coffee.png'), undefined],
    ['rocket 640×427', await load('rocket.jpg'), undefined],
  ];
  const rows = [];
  for (const [name, image, truth] of cases) {
    let ours: Uint8Array = new Uint8Array();
    let theirs: Uint8Array = new Uint8Array();
    const engineTimes = await time(rounds, async () => {
      const result = await engine.run('remove-background', { image: { base64: base64(image) } });
      ours = (await engine.assets.read('local', result.images[0]!.assetId)).bytes;
    }, 1);
    const imglyTimes = await time(rounds, async () => {
      const blob = await imglyRemoveBackground(new Blob([image.bytes], { type: image.mimeType }), { model: 'medium', output: { format: 'image/png' } });
      theirs = new Uint8Array(await blob.arrayBuffer());
    }, 1);
    const truthMask = (mask: Uint8Array) => (truth ? maskIoU(mask, truth).then((iou) => iou.toFixed(4)) : Promise.resolve('—'));
    const [oursAlpha, theirsAlpha] = await Promise.all([alphaOf(ours), alphaOf(theirs)]);
    const theirTruth = new Uint8Array((await sharp(theirsAlpha).extractChannel(0).raw().toBuffer()).map((value) => (value >= 128 ? 1 : 0)));
    rows.push({
      image: name,
      'engine ms': mean(engineTimes).toFixed(0),
      'imgly ms': mean(imglyTimes).toFixed(0),
      'time ratio engine/imgly': (mean(engineTimes) / mean(imglyTimes)).toFixed(2),
      'IoU engine vs imgly': (await maskIoU(oursAlpha, theirTruth)).toFixed(4),
      'IoU engine vs truth': await truthMask(oursAlpha),
      'IoU imgly vs truth': await truthMask(theirsAlpha),
    });
  }
  console.log(`\nBackground removal, IS-Net medium (fp32) — engine.run vs @imgly/background-removal-node removeBackground(), mean of ${rounds} runs after a warm-up`);
  console.table(rows);
}

// 2. Classic features through the engine vs the same local pipeline called directly (no job, asset or gallery).
{
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
  const local = createLocalProvider();
  const image = await load('coffee.png');
  const mask = await inspectImage(new Uint8Array(await sharp({ create: { width: 600, height: 400, channels: 3, background: 'black' } })
    .composite([{ input: await sharp({ create: { width: 60, height: 50, channels: 3, background: 'white' } }).png().toBuffer(), left: 430, top: 40 }]).png().toBuffer()));
  const stored = await engine.assets.upload('local', image.bytes);
  const storedMask = await engine.assets.upload('local', mask.bytes);
  const context = { signal, model: 'bench' };
  const features: Array<[string, string, Record<string, unknown>, () => Promise<unknown>]> = [
    ['upscale ×2', 'upscale', { scale: 2 }, () => local.handlers.upscale!({ image, scale: 2 }, context)],
    ['relight', 'relight', { direction: 'left', intensity: 0.6, warmth: 0.4 }, () => local.handlers.relight!({ image, direction: 'left', intensity: 0.6, warmth: 0.4 }, context)],
    ['style noir', 'style-transfer', { style: 'noir' }, () => local.handlers['style-transfer']!({ image, style: 'noir', strength: 1 }, context)],
    ['style pencil-sketch', 'style-transfer', { style: 'pencil-sketch' }, () => local.handlers['style-transfer']!({ image, style: 'pencil-sketch', strength: 1 }, context)],
    ['expand to 16:9', 'expand', { aspect_ratio: '16:9' }, () => local.handlers.outpaint!({ image, left: 55, right: 56, top: 0, bottom: 0 } as CapabilityRequest<'outpaint'>, context)],
    ['object removal', 'object-removal', { mask: { asset_id: storedMask.id } }, () => local.handlers.inpaint!({ image, mask }, context)],
    ['enhance', 'enhance', {}, () => local.handlers.enhance!({ image, denoise: 0.3, sharpen: 0.4, autoLevels: true }, context)],
  ];
  const rows = [];
  for (const [name, feature, input, direct] of features) {
    const pipeline = await time(rounds, direct);
    const viaEngine = await time(rounds, () => engine.run(feature, { image: { asset_id: stored.id }, ...input }));
    rows.push({ ...row(`${name}: engine.run`, viaEngine, pipeline), 'pipeline alone ms': mean(pipeline).toFixed(1) });
  }
  console.log(`\nClassic features on coffee.png 600×400 (${rounds} runs each): engine.run vs the same local pipeline called directly`);
  console.table(rows);
  await local.close?.();
}

// 3. /health latency while background removals run back to back.
{
  const server = serve({ fetch: createServer({ engine, rateLimit: false }).app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const body = JSON.stringify({ image: { base64: base64(await load('coffee.png')) } });
  const idle = await time(200, () => fetch(`${url}/health`).then((response) => response.arrayBuffer()));
  let busy = true;
  let removals = 0;
  const load_ = (async () => {
    while (busy) {
      await fetch(`${url}/v1/features/remove-background`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((response) => response.arrayBuffer());
      removals += 1;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const samples: number[] = [];
  const until = Date.now() + Number(process.env.BENCH_HEALTH_MS ?? 8000);
  while (Date.now() < until) {
    const started = performance.now();
    await fetch(`${url}/health`).then((response) => response.arrayBuffer());
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  busy = false;
  await load_;
  console.log(`\nGET /health latency while background removals run (${removals} removals, ${samples.length} health checks)`);
  console.table([row('idle server', idle), { ...row('during background removal', samples, idle), 'max ms': Math.max(...samples).toFixed(1), 'p99 < 50 ms': percentile(samples, 99) < 50 ? 'yes' : 'NO' }]);
  server.close();
}

await engine.close();
rmSync(dataDir, { recursive: true, force: true });

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, startTestServer, type TestServer } from './testing/test-server.js';

// Cancelling a job whose ONNX model is inside onnxruntime's native run once killed the process
// ("terminate called after throwing an instance of 'Napi::Error'"). This file surviving is part of the assertion.
const disc = readFileSync(join(fixtures, '../cases/grayscale-disc.jpg'));
const body = { image: `data:image/jpeg;base64,${disc.toString('base64')}`, format: 'png' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let test: TestServer;
let closed = false;
beforeAll(async () => {
  test = await startTestServer();
});
afterAll(async () => {
  if (!closed) await test.close();
});

/** Submits an async removal of the disc and answers its job id once its model has run for a while. */
async function startRemoval(): Promise<string> {
  const accepted = (await (await test.call('ann', 'POST', '/v1/features/remove-background', body, { prefer: 'respond-async' })).json()) as { job_id: string };
  while ((await jobState(accepted.job_id)) === 'queued') await sleep(10);
  await sleep(400); // decoding a 128² JPEG takes milliseconds; an IS-Net run takes over a second on a CPU
  expect(await jobState(accepted.job_id)).toBe('running');
  return accepted.job_id;
}

async function jobState(id: string): Promise<string> {
  return ((await (await test.call('ann', 'GET', `/v1/jobs/${id}`)).json()) as { state: string }).state;
}

/** A synchronous removal of the disc: 200, a 128×128 cut-out with the disc opaque and the corners transparent. */
async function removeSynchronously(): Promise<void> {
  const response = await test.call('ann', 'POST', '/v1/features/remove-background', body);
  const result = (await response.json()) as { images: Array<Record<string, unknown>>; image_url: string };
  expect(response.status, JSON.stringify(result)).toBe(200);
  expect(result.images[0]).toMatchObject({ width: 128, height: 128, mime_type: 'image/png' });
  const png = Buffer.from(await (await test.call('ann', 'GET', result.image_url)).arrayBuffer());
  const alpha = await sharp(png).extractChannel(3).raw().toBuffer();
  expect(alpha[64 * 128 + 64]).toBeGreaterThan(200);
  expect(alpha[0]).toBeLessThan(50);
}

describe('cancelling work that cannot be interrupted (libvips pipelines: enhance, expand, pencil sketch)', () => {
  it('ends the job cancelled at once, answers the final state, and writes no gallery row', { timeout: 60_000 }, async () => {
    // A noisy 2400×1800 photo: each of these takes a second or more in sharp on this machine.
    const noise = Buffer.alloc(2400 * 1800 * 3);
    for (let index = 0; index < noise.length; index += 1) noise[index] = (index * 2654435761) >>> 24;
    const photo = `data:image/png;base64,${(await sharp(noise, { raw: { width: 2400, height: 1800, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer()).toString('base64')}`;
    const gallery = async () => ((await (await test.call('ann', 'GET', '/v1/gallery?limit=200')).json()) as { items: unknown[] }).items.length;
    const before = await gallery();
    for (const [route, extra] of [['enhance', { denoise: 1, sharpen: 1, auto_levels: true }], ['image-expand', { aspect_ratio: '21:9' }], ['style-transfer', { style: 'pencil-sketch' }]] as const) {
      const accepted = (await (await test.call('ann', 'POST', `/v1/features/${route}`, { image: photo, ...extra }, { prefer: 'respond-async' })).json()) as { job_id: string };
      while ((await jobState(accepted.job_id)) === 'queued') await sleep(10);
      await sleep(50);
      const started = performance.now();
      const cancelled = (await (await test.call('ann', 'DELETE', `/v1/jobs/${accepted.job_id}`)).json()) as { state: string };
      expect(cancelled.state, route).toBe('cancelled');
      expect(performance.now() - started, route).toBeLessThan(1_000);
    }
    await sleep(3_000); // the abandoned pipelines finish meanwhile; their results are dropped
    expect(await gallery()).toBe(before);
  });
});

describe('cancelling a background removal while its model runs', () => {
  it('ends the job cancelled at once, twice in a row, and the next removals still work', { timeout: 60_000 }, async () => {
    await removeSynchronously(); // loads the model, so the cancelled jobs below are inside the run
    for (let round = 0; round < 2; round += 1) {
      const id = await startRemoval();
      const cancelledAt = Date.now();
      expect((await test.call('ann', 'DELETE', `/v1/jobs/${id}`)).status).toBe(200);
      while ((await jobState(id)) === 'running') await sleep(10);
      expect(await jobState(id)).toBe('cancelled');
      expect(Date.now() - cancelledAt).toBeLessThan(500);
      await removeSynchronously();
    }
  });

  it('shuts the server down during a removal without crashing', { timeout: 30_000 }, async () => {
    await startRemoval();
    closed = true;
    await test.close(); // aborts the job, then waits for the model's run to end before stopping its worker
  });
});

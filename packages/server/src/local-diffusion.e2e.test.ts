import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyDiffusionModel } from '@darkroom/provider-local/testing';
import { startDarkroomProcess, type DarkroomProcess } from './testing/darkroom-process.js';
import { callApi, readEventStream } from './testing/distributed-cluster.js';

// `darkroom serve` as an operator starts it, a local diffusion model named in DARKROOM_DIFFUSION_MODELS:
// the tiny model of the real Optimum signatures (no weights exist here), made to work at 512² pixels.
const work = mkdtempSync(join(tmpdir(), 'darkroom-diffusion-e2e-'));
const model = writeTinyDiffusionModel(join(work, 'tiny'), { family: 'sd', schedulerConfig: { _class_name: 'EulerAncestralDiscreteScheduler' } });
const unetConfig = join(model.path, 'unet', 'config.json');
writeFileSync(unetConfig, JSON.stringify({ ...JSON.parse(readFileSync(unetConfig, 'utf8')), sample_size: 64 }));
let server: DarkroomProcess | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('darkroom serve with DARKROOM_DIFFUSION_MODELS', () => {
  it('lists the model, generates with it and streams a progress event per denoising step over SSE', { timeout: 120_000 }, async () => {
    server = startDarkroomProcess('serve', ['serve'], {
      PORT: '0',
      DARKROOM_DATA_DIR: join(work, 'data'),
      DARKROOM_DIFFUSION_MODELS: `tiny=${model.path}?steps=40&guidance=5`,
      DARKROOM_DIFFUSION_IDLE_MS: '60000',
    }, { cwd: work });
    const base = await server.ready;
    const models = await callApi(base, 'GET', '/api/images/models');
    expect(models.body.models.find((entry: { id: string }) => entry.id === 'tiny')).toMatchObject({ provider: 'local', capabilities: ['text-to-image', 'image-to-image', 'inpaint', 'outpaint'] });
    expect(models.body.models.some((entry: { placeholder?: boolean }) => entry.placeholder)).toBe(false);

    const submitted = await callApi(base, 'POST', '/v1/features/image-generation', { prompt: 'a lighthouse at dusk', width: 512, height: 512, seed: 21 }, { prefer: 'respond-async' });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.job_id ?? submitted.body.id;
    // From the first event on (Last-Event-ID 0), until the job ends.
    const events = await readEventStream(`${base}/v1/jobs/${jobId}/events`, (event) => event.event === 'job.succeeded' || event.event === 'job.failed', 60_000, { 'last-event-id': '0' });
    expect(events.at(-1)!.event).toBe('job.succeeded');
    const percents = events.filter((event) => event.event === 'job.progress').map((event) => (event.data as { progress: number }).progress);
    // 40 steps in the provider's share of the job (10..85): at least one event per step whose percent moved.
    expect(percents.filter((percent) => percent > 10 && percent < 85).length).toBeGreaterThanOrEqual(35);
    const job = await callApi(base, 'GET', `/v1/jobs/${jobId}`);
    expect(job.body.result).toMatchObject({ provider: 'local', model: 'tiny', seed: 21, images: [{ width: 512, height: 512 }] });
  });
});

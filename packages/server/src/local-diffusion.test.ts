import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, EngineEvent } from '@darkroom/core';
import { writeTinyDiffusionModel } from '@darkroom/provider-local/testing';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';

// The engine and server with a local diffusion model configured: a tiny model of the real Optimum
// signatures (no weights exist here), run through jobs, events, the gallery and the HTTP routes.
const directory = mkdtempSync(join(tmpdir(), 'darkroom-server-diffusion-'));
const model = writeTinyDiffusionModel(join(directory, 'tiny'), { family: 'sd', inpainting: true, schedulerConfig: { _class_name: 'DDIMScheduler' } });
let engine: Engine;

beforeAll(async () => {
  engine = await createDefaultEngine({ dataDir: join(directory, 'data'), runner: { pollMs: 20 }, local: { diffusion: { models: { tiny: model.path }, steps: 6 } } });
});
afterAll(async () => {
  await engine.close();
  rmSync(directory, { recursive: true, force: true });
});

/** The events of one job, in order, until it ends. */
function eventsOf(jobId: () => string | undefined) {
  const seen: EngineEvent[] = [];
  const off = engine.on((event) => {
    if ('jobId' in event && event.jobId === jobId()) seen.push(event);
  });
  return { seen, off };
}

describe('a local diffusion model through the engine', () => {
  it('serves generate instead of the placeholder: per-step progress events, the image in the gallery', async () => {
    expect(engine.models().filter((listing) => listing.provider === 'local' && listing.capabilities.includes('text-to-image')).map((listing) => listing.id)).toEqual(['tiny']);
    let id: string | undefined;
    const { seen, off } = eventsOf(() => id);
    const job = await engine.submit('generate', { prompt: 'a photo of a cat', width: 64, height: 64, seed: 42, steps: 8, guidance: 6 });
    id = job.id;
    const done = await engine.jobs.wait('local', job.id);
    off();
    expect(done.state).toBe('succeeded');
    const result = done.result as { images: Array<{ galleryId: string; width: number; height: number }>; provider: string; model: string; seed: number };
    expect(result).toMatchObject({ provider: 'local', model: 'tiny', seed: 42, images: [{ width: 64, height: 64 }] });
    // Eight denoising steps and the decode, each a job.progress event inside the provider's share (10..85).
    const percents = seen.filter((event) => event.type === 'job.progress').map((event) => (event as { progress: number }).progress);
    const providerShare = percents.filter((percent) => percent > 10 && percent <= 85);
    expect(providerShare.length).toBeGreaterThanOrEqual(9);
    expect(percents.every((percent, index) => index === 0 || percent > percents[index - 1]!)).toBe(true);
    const row = await engine.gallery.get('local', result.images[0]!.galleryId);
    expect(row).toMatchObject({ feature: 'generate', provider: 'local', model: 'tiny', seed: 42, metadata: { method: 'diffusion', steps: 8, guidance: 6 } });
    expect(row.metadata).not.toHaveProperty('placeholder');
  });

  it('cancelling a running job stops it between denoising steps', async () => {
    let id: string | undefined;
    const { seen, off } = eventsOf(() => id);
    let cancelled: Promise<unknown> | undefined;
    const offCancel = engine.on((event) => {
      if (event.type === 'job.progress' && event.jobId === id && event.progress > 12 && !cancelled) cancelled = engine.jobs.cancel('local', event.jobId);
    });
    const job = await engine.submit('generate', { prompt: 'a cat', width: 64, height: 64, seed: 1, steps: 100 });
    id = job.id;
    const done = await engine.jobs.wait('local', job.id).catch(async () => engine.jobs.get('local', job.id));
    await cancelled;
    off();
    offCancel();
    expect(done.state).toBe('cancelled');
    const steps = seen.filter((event) => event.type === 'job.progress' && event.progress > 10).length;
    expect(steps).toBeLessThan(50);
    expect(seen.findIndex((event) => event.type === 'job.cancelled')).toBeGreaterThan(-1);
    // Nothing more is reported once the job is cancelled, and the model serves the next job.
    expect(seen.slice(seen.findIndex((event) => event.type === 'job.cancelled')).filter((event) => event.type === 'job.progress')).toEqual([]);
    await expect(engine.run('generate', { prompt: 'a cat', width: 64, height: 64, seed: 1, steps: 2 })).resolves.toMatchObject({ model: 'tiny' });
  });

  it('serves object removal and expand with the feature\'s sampling fields, and lists the model on /api/images/models', async () => {
    const image = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7bd5' } }).png().toBuffer();
    const white = await sharp({ create: { width: 16, height: 16, channels: 3, background: 'white' } }).png().toBuffer();
    const mask = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'black' } }).composite([{ input: white, left: 24, top: 24 }]).png().toBuffer();
    const removed = await engine.run('object-removal', { image, mask, prompt: 'sky', negative_prompt: 'a bird', seed: 3, steps: 3, guidance: 4 });
    expect(removed).toMatchObject({ provider: 'local', model: 'tiny', seed: 3 });
    const expanded = await engine.run('expand', { image, left: 16, right: 16, seed: 5, steps: 2 });
    expect(expanded).toMatchObject({ model: 'tiny', images: [{ width: 96, height: 64 }] });
    const { app } = createServer({ engine, rateLimit: false });
    const listing = (await (await app.request('/api/images/models')).json()) as { models: Array<{ id: string; provider: string; capabilities: string[]; placeholder?: boolean }> };
    expect(listing.models.find((entry) => entry.id === 'tiny')).toMatchObject({ provider: 'local', capabilities: ['text-to-image', 'image-to-image', 'inpaint', 'outpaint'] });
    expect(listing.models.some((entry) => entry.placeholder)).toBe(false);
  });

  it('takes seed 003\'s parameters on POST /api/images/generate: n, num_inference_steps, guidance_scale, negative_prompt, seed', async () => {
    const { app } = createServer({ engine, rateLimit: false });
    const response = await app.request('/api/images/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a lighthouse', size: '64x64', n: 2, num_inference_steps: 3, guidance_scale: 4.5, negative_prompt: 'fog', seed: 8 }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { service: string; model: string; images: unknown[]; metadata: Record<string, unknown> };
    expect(body).toMatchObject({ service: 'local', model: 'tiny', metadata: { steps: 3, guidance: 4.5, seeds: [8, 9], seed: 8, width: 64, height: 64 } });
    expect(body.images).toHaveLength(2);
  });
});

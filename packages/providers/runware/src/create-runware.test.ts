import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspectImage, memoryCheckpoint, type ImageData, type Provider } from '@darkroom/core';
import { createRunware } from './create-runware.js';
import { startFakeRunware, type FakeRunware } from './testing-fake-runware.js';

const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');
let fake: FakeRunware;
let runware: Provider;
let photo: ImageData;
const context = () => ({ signal: new AbortController().signal, model: 'runware:101@1', checkpoint: memoryCheckpoint() });

beforeAll(async () => {
  fake = await startFakeRunware();
  photo = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'chelsea.png'))));
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.tasks.length = 0;
  fake.script.length = 0;
  fake.oldNames = false;
  runware = createRunware({ apiKey: fake.key, baseURL: fake.url, timeoutMs: 5_000 });
});

describe('runware: request shape and response mapping', () => {
  it('sends imageInference for text-to-image, sizes rounded to multiples of 64, and maps image, seed and cost', async () => {
    const result = await runware.handlers['text-to-image']!({ prompt: 'a lighthouse', negativePrompt: 'people', width: 1000, height: 570, seed: 7, format: 'webp' }, context());
    const [task] = fake.tasks;
    expect(task).toMatchObject({
      taskType: 'imageInference', positivePrompt: 'a lighthouse', negativePrompt: 'people', model: 'runware:101@1',
      width: 1024, height: 576, seed: 7, numberResults: 1, outputType: 'base64Data', outputFormat: 'WEBP', includeCost: true,
    });
    expect(task!.taskUUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.images[0]).toMatchObject({ width: 1024, height: 576, mimeType: 'image/png' });
    expect(result).toMatchObject({ seed: 7, metadata: { cost: 0.0025, cost_currency: 'USD', task_uuid: task!.taskUUID } });
  });

  it('sends seedImage and strength for image-to-image, maskImage for inpainting, outpaint sides for outpainting', async () => {
    await runware.handlers['image-to-image']!({ image: photo, prompt: 'as a watercolor', strength: 0.4, steps: 30, guidance: 6.5 }, context());
    await runware.handlers.inpaint!({ image: photo, mask: photo, negativePrompt: 'people', seed: 3, steps: 12 }, context());
    await runware.handlers.outpaint!({ image: photo, left: 50, right: 50, top: 0, bottom: 0 }, context());
    const [variation, inpaint, outpaint] = fake.tasks;
    expect(variation).toMatchObject({ taskType: 'imageInference', positivePrompt: 'as a watercolor', strength: 0.4, steps: 30, CFGScale: 6.5, seedImage: expect.stringMatching(/^data:image\/png;base64,/) });
    expect(inpaint).toMatchObject({ seedImage: expect.any(String), maskImage: expect.any(String), positivePrompt: expect.any(String), negativePrompt: 'people', seed: 3, steps: 12 });
    expect(inpaint).not.toHaveProperty('CFGScale');
    expect(outpaint).toMatchObject({ width: 576, height: 320, outpaint: { left: 50, top: 0, right: 75, bottom: 20 } });
  });

  it('accepts both current and older task names in answers', async () => {
    for (const oldNames of [false, true]) {
      fake.oldNames = oldNames;
      const upscaled = await runware.handlers.upscale!({ image: photo, scale: 2 }, context());
      expect(upscaled.images[0]).toMatchObject({ width: 902, height: 600 });
      const cutout = await runware.handlers['remove-background']!({ image: photo }, context());
      expect(cutout.images[0]).toMatchObject({ width: 451, height: 300 });
      expect(await runware.handlers.caption!({ image: photo }, context())).toEqual({ text: 'a photo used in a test' });
    }
    expect(fake.tasks.map((task) => task.taskType)).toEqual(['upscale', 'removeBackground', 'caption', 'upscale', 'removeBackground', 'caption']);
    expect(fake.tasks[0]).toMatchObject({ upscaleFactor: 2, inputImage: expect.stringMatching(/^data:image\/png;base64,/) });
  });
});

describe('runware: errors', () => {
  const call = () => runware.handlers['text-to-image']!({ prompt: 'a lighthouse', width: 512, height: 512 }, context());

  it.each([
    [401, { errors: [{ code: 'invalidApiKey', message: 'Invalid API key' }] }, {}, { code: 'provider_error', retryable: false, message: expect.stringMatching(/RUNWARE_API_KEY/) }],
    [402, { errors: [{ code: 'insufficientCredits', message: 'No balance' }] }, {}, { code: 'provider_error', retryable: false, message: expect.stringMatching(/no balance/) }],
    [429, { errors: [{ code: 'rateLimited', message: 'Too many requests' }] }, { 'retry-after': '3' }, { code: 'rate_limited', retryable: true, details: expect.objectContaining({ retryAfterMs: 3000 }) }],
    [503, { errors: [{ code: 'serviceUnavailable', message: 'Try later' }] }, {}, { code: 'provider_unavailable', retryable: true }],
    [400, { errors: [{ code: 'invalidWidth', message: 'Invalid width', parameter: 'width', taskType: 'imageInference' }] }, {}, { code: 'invalid_input', retryable: false, message: expect.stringMatching(/parameter width/) }],
  ])('HTTP %s becomes a typed error', async (status, body, headers, expected) => {
    fake.script.push({ status, body: JSON.stringify(body), headers });
    await expect(call()).rejects.toMatchObject(expected);
  });

  it('maps a task error in a 200 answer and never leaks the key', async () => {
    const error = await runware.handlers['text-to-image']!({ prompt: 'x', width: 512, height: 512 }, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_input', details: { provider_code: 'invalidPositivePrompt' } });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(fake.key);
  });

  it('treats a body that is not JSON as a retryable provider error', async () => {
    fake.script.push({ status: 200, body: '<html>gateway</html>' });
    await expect(call()).rejects.toMatchObject({ code: 'provider_error', retryable: true });
  });

  it('times out', async () => {
    runware = createRunware({ apiKey: fake.key, baseURL: fake.url, timeoutMs: 200 });
    fake.script.push('hang');
    await expect(call()).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });

  it('cancels the HTTP call when the signal aborts', async () => {
    fake.script.push('hang');
    const controller = new AbortController();
    const pending = runware.handlers['text-to-image']!({ prompt: 'a lighthouse', width: 512, height: 512 }, { ...context(), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow('user cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says the key is missing, without calling', async () => {
    const saved = process.env.RUNWARE_API_KEY;
    delete process.env.RUNWARE_API_KEY;
    try {
      await expect(createRunware({ baseURL: fake.url }).handlers.upscale!({ image: photo, scale: 2 }, context())).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/RUNWARE_API_KEY is not set/) });
      expect(fake.tasks).toEqual([]);
      expect(await createRunware({ baseURL: fake.url }).health!()).toMatchObject({ ok: false });
    } finally {
      if (saved !== undefined) process.env.RUNWARE_API_KEY = saved;
    }
  });

  it('reads the key lazily from RUNWARE_API_KEY', async () => {
    process.env.RUNWARE_API_KEY = fake.key;
    try {
      const provider = createRunware({ baseURL: fake.url });
      expect((await provider.handlers.upscale!({ image: photo, scale: 2 }, context())).images).toHaveLength(1);
    } finally {
      delete process.env.RUNWARE_API_KEY;
    }
  });
});

describe('runware: re-attaching after a crash', () => {
  it('saves the task UUID before sending, and a re-run fetches the answer instead of paying twice', async () => {
    const checkpoint = memoryCheckpoint();
    fake.acceptThenHang = true;
    const controller = new AbortController();
    const first = runware.handlers['text-to-image']!({ prompt: 'a lighthouse', width: 512, height: 512 }, { signal: controller.signal, model: 'm', checkpoint });
    // Wait until Runware has done the work and is holding the answer back (the worker dies after that).
    while (fake.acceptThenHang) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('worker died'));
    await expect(first).rejects.toThrow('worker died');
    const saved = checkpoint.get<string>('taskUUID');
    expect(saved).toBe(fake.tasks[0]!.taskUUID);
    const again = await runware.handlers['text-to-image']!({ prompt: 'a lighthouse', width: 512, height: 512 }, { signal: new AbortController().signal, model: 'm', checkpoint });
    expect(again.images[0]).toMatchObject({ width: 512, height: 512 });
    expect(fake.tasks.map((task) => task.taskType)).toEqual(['imageInference', 'getTaskDetails']);
  });

  it('sends a new task when the saved one never reached Runware', async () => {
    const checkpoint = memoryCheckpoint();
    await checkpoint.set('taskUUID', '00000000-0000-4000-8000-000000000000');
    await runware.handlers.upscale!({ image: photo, scale: 2 }, { signal: new AbortController().signal, model: 'm', checkpoint });
    expect(fake.tasks.map((task) => task.taskType)).toEqual(['getTaskDetails', 'upscale']);
    expect(checkpoint.get('taskUUID')).toBe(fake.tasks[1]!.taskUUID);
  });
});

import { describe, expect, it } from 'vitest';
import { defineProvider } from '@darkroom/plugin-api';
import { solidPng, testPlugin } from '../testing/test-plugin.js';
import { waitUntil } from '../testing/wait-until.js';
import { createEngine } from './create-engine.js';

describe('engine.run with an AbortSignal', () => {
  it('cancels the job when the signal aborts (the provider call is aborted too), and queues nothing when it is already aborted', async () => {
    let started = 0;
    let aborted = 0;
    const slow = defineProvider({
      id: 'slow',
      models: [{ id: 'slow-1', capabilities: ['text-to-image'] }],
      handlers: {
        'text-to-image': async (request, context) => {
          started += 1;
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, 20_000);
            context.signal.addEventListener('abort', () => (clearTimeout(timer), (aborted += 1), reject(context.signal.reason)), { once: true });
          });
          return { images: [{ bytes: await solidPng(request.width, request.height), mimeType: 'image/png', width: request.width, height: request.height }], seed: 1 };
        },
      },
    });
    const engine = await createEngine({ plugins: [testPlugin], providers: [slow], runner: { pollMs: 20 } });
    try {
      const controller = new AbortController();
      const running = engine.run('paint', { prompt: 'a slow boat' }, { signal: controller.signal });
      await waitUntil(async () => started, (count) => count === 1);
      controller.abort();
      await expect(running).rejects.toMatchObject({ code: 'cancelled' });
      expect((await engine.gallery.list('local')).items).toHaveLength(0);
      await waitUntil(async () => aborted, (count) => count === 1);

      const before = await engine.jobs.counts();
      await expect(engine.run('paint', { prompt: 'never' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled', message: expect.stringMatching(/nothing was queued/) });
      expect(await engine.jobs.counts()).toEqual(before);
      expect(before).toMatchObject({ cancelled: 1 });
    } finally {
      await engine.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DarkroomError, defineProvider } from '@darkroom/plugin-api';
import { terminalJobStates } from '../jobs/job-types.js';
import { createDatabase } from '../store/create-database.js';
import { createInstantProvider, solidPng, testPlugin } from '../testing/test-plugin.js';
import { waitUntil } from '../testing/wait-until.js';
import { createEngine } from './create-engine.js';
import type { Engine } from './engine.js';

/** A text-to-image provider that takes 20 s unless its call is aborted; counts calls and aborts. */
function createSlowProvider() {
  const counts = { started: 0, aborted: 0 };
  const provider = defineProvider({
    id: 'slow',
    models: [{ id: 'slow-1', capabilities: ['text-to-image'] }],
    handlers: {
      'text-to-image': async (request, context) => {
        counts.started += 1;
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 20_000);
          context.signal.addEventListener('abort', () => (clearTimeout(timer), (counts.aborted += 1), reject(context.signal.reason)), { once: true });
        });
        return { images: [{ bytes: await solidPng(request.width, request.height), mimeType: 'image/png', width: request.width, height: request.height }], seed: 1 };
      },
    },
  });
  return { provider, counts };
}

/**
 * What a run rejected by its signal promises: `cancelled`, and either nothing queued or a job whose
 * cancel is recorded (this engine runs its jobs, so the job has ended, and not succeeded).
 */
async function expectCancelledRun(engine: Engine, running: Promise<unknown>) {
  const error = await running.then(
    () => {
      throw new Error('the run succeeded although its signal was aborted');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(DarkroomError);
  expect(error).toMatchObject({ code: 'cancelled' });
  const jobId = (error as DarkroomError).details?.job_id as string | undefined;
  if (jobId === undefined) {
    expect((error as DarkroomError).message).toMatch(/nothing was queued/);
    return undefined;
  }
  const job = await engine.jobs.get('local', jobId);
  expect(job.cancelRequested, `job ${jobId} has its cancel recorded`).toBe(true);
  expect(terminalJobStates, `job ${jobId} has ended`).toContain(job.state);
  expect(job.state).toBe('cancelled');
  return job;
}

describe('engine.run with an AbortSignal', () => {
  it('cancels the job when the signal aborts (the provider call is aborted too), and queues nothing when it is already aborted', async () => {
    const { provider, counts } = createSlowProvider();
    const engine = await createEngine({ plugins: [testPlugin], providers: [provider], runner: { pollMs: 20 } });
    try {
      const controller = new AbortController();
      const running = engine.run('paint', { prompt: 'a slow boat' }, { signal: controller.signal });
      await waitUntil(async () => counts.started, (count) => count === 1);
      controller.abort();
      // By the time run() rejects, the job has ended cancelled (it ran in this process), not still "running".
      const job = await expectCancelledRun(engine, running);
      expect(job?.state).toBe('cancelled');
      expect((await engine.gallery.list('local')).items).toHaveLength(0);
      await waitUntil(async () => counts.aborted, (count) => count === 1);

      const before = await engine.jobs.counts();
      await expect(engine.run('paint', { prompt: 'never' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled', message: expect.stringMatching(/nothing was queued/) });
      expect(await engine.jobs.counts()).toEqual(before);
      expect(before).toMatchObject({ cancelled: 1 });
    } finally {
      await engine.close();
    }
  });

  it('cancels when the signal aborts while submit() is still running: at once, after a microtask, or after a few ms', async () => {
    const { provider } = createSlowProvider();
    const engine = await createEngine({ plugins: [testPlugin], providers: [provider], runner: { pollMs: 20 } });
    try {
      const aborters: [string, (abort: () => void) => Promise<void> | void][] = [
        ['synchronously', (abort) => abort()],
        ['after a microtask', async (abort) => (await Promise.resolve(), abort())],
        ['after a macrotask', async (abort) => (await new Promise((resolve) => setImmediate(resolve)), abort())],
        ...[1, 5, 20].map((ms): [string, (abort: () => void) => Promise<void>] => [`after ${ms} ms`, async (abort) => (await new Promise((resolve) => setTimeout(resolve, ms)), abort())]),
      ];
      for (const [when, abortLater] of aborters) {
        const controller = new AbortController();
        const running = engine.run('paint', { prompt: `a boat aborted ${when}` }, { signal: controller.signal });
        await abortLater(() => controller.abort());
        await expectCancelledRun(engine, running);
      }
      expect((await engine.gallery.list('local')).items).toHaveLength(0);
    } finally {
      await engine.close();
    }
  });

  it('cancels a run of a large inline image however soon after the call the signal aborts (0 to 40 ms)', { timeout: 60_000 }, async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], runner: { pollMs: 20 } });
    try {
      // Noise, so the PNG is megabytes and moving it to storage takes a while.
      const noise = await sharp(randomBytes(900 * 900 * 3), { raw: { width: 900, height: 900, channels: 3 } }).png().toBuffer();
      const image = `data:image/png;base64,${noise.toString('base64')}`;
      for (let ms = 0; ms <= 40; ms += 4) {
        const controller = new AbortController();
        const running = engine.run('enlarge', { image }, { signal: controller.signal });
        await new Promise((resolve) => setTimeout(resolve, ms));
        controller.abort();
        await expectCancelledRun(engine, running);
      }
      expect((await engine.gallery.list('local')).items).toHaveLength(0);
    } finally {
      await engine.close();
    }
  });
});

describe('engine.run with an AbortSignal, the job running in another engine', () => {
  it('rejects once the cancel is recorded on the job (cancelRequested), and the worker then ends it cancelled', async () => {
    const database = await createDatabase({ kind: 'memory' });
    const { provider, counts } = createSlowProvider();
    const api = await createEngine({ plugins: [testPlugin], providers: [provider], store: database, runner: { autoStart: false } });
    const worker = await createEngine({ plugins: [testPlugin], providers: [provider], store: database, runner: { pollMs: 20, leaseMs: 300 } });
    try {
      const controller = new AbortController();
      const running = api.run('paint', { prompt: 'a boat run elsewhere' }, { signal: controller.signal });
      await waitUntil(async () => counts.started, (count) => count === 1);
      controller.abort();
      const error = (await running.catch((error: unknown) => error)) as DarkroomError;
      expect(error).toMatchObject({ code: 'cancelled', details: { job_id: expect.any(String) } });
      const job = await api.jobs.get('local', error.details!.job_id as string);
      expect(job.cancelRequested).toBe(true);
      if (job.state === 'running') expect(error.message).toMatch(/asked to stop/);
      expect((await waitUntil(() => api.jobs.get('local', job.id), (each) => each.state !== 'running')).state).toBe('cancelled');
      expect(counts.aborted).toBe(1);
    } finally {
      await api.close();
      await worker.close();
      await database.close();
    }
  });
});

describe('waiting for a job with an AbortSignal', () => {
  it('rejects at once when the signal is already aborted, or aborts while the job is being looked up; the job goes on', async () => {
    const { provider, counts } = createSlowProvider();
    const engine = await createEngine({ plugins: [testPlugin], providers: [provider], runner: { pollMs: 20 } });
    try {
      const job = await engine.submit('paint', { prompt: 'a slow boat' });
      await waitUntil(async () => counts.started, (count) => count === 1);
      const started = Date.now();
      await expect(engine.jobs.wait('local', job.id, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
      await expect(engine.result('local', job.id, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
      const controller = new AbortController();
      const waiting = engine.jobs.wait('local', job.id, { signal: controller.signal });
      controller.abort();
      await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
      expect(Date.now() - started).toBeLessThan(400);
      // Waiting stopped; the job was not cancelled.
      expect((await engine.jobs.get('local', job.id)).state).toBe('running');
      await engine.jobs.cancel('local', job.id);
    } finally {
      await engine.close();
    }
  });
});

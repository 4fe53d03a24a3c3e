import { describe, expect, it } from 'vitest';
import { testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';

describe('engine readiness', () => {
  it('probes the job queue, the checkpoints and the event transport', async () => {
    const engine = await createEngine({ plugins: [testPlugin] });
    try {
      expect(await engine.ready()).toMatchObject({ ok: true, queue: { ok: true }, events: { ok: true }, workers: { ok: true, runsJobs: true } });
    } finally {
      await engine.close();
    }
  });

  it('is ready without running jobs when it runs none by design (API-only), and not when its runner stopped', async () => {
    const apiOnly = await createEngine({ plugins: [testPlugin], runner: { autoStart: false } });
    try {
      expect(await apiOnly.ready()).toMatchObject({ ok: true, workers: { ok: true, runsJobs: false, activeJobs: 0 } });
    } finally {
      await apiOnly.close();
    }
  });

  it('is not ready when the job queue does not answer', async () => {
    const engine = await createEngine({ plugins: [testPlugin] });
    await engine.close();
    const ready = await engine.ready();
    expect(ready.ok).toBe(false);
    expect(ready.queue).toMatchObject({ ok: false, message: expect.stringMatching(/job queue|checkpoints/) });
  });
});

describe('engine readiness under a service that hangs', () => {
  it('answers within a second, naming the part that did not answer', async () => {
    const engine = await createEngine({ plugins: [testPlugin] });
    try {
      // An event transport whose connection hangs (a Redis that is down and never refuses).
      Object.assign(engine.events, { ready: () => new Promise<void>(() => undefined) });
      const started = Date.now();
      const readiness = await engine.ready();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(readiness).toMatchObject({ ok: false, events: { ok: false, message: expect.stringMatching(/did not answer within \d+ ms/) }, queue: { ok: true } });
    } finally {
      await engine.close();
    }
  });
});

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

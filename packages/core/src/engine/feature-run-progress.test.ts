import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DarkroomError, defineFeature, definePlugin, defineProvider } from '@darkroom/plugin-api';
import type { EngineEvent } from '../events/event-bus.js';
import { createInstantProvider, testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';
import type { Engine } from './engine.js';
import { featureRunProgress, featureShareOfRun } from './feature-run-progress.js';

const { inputValidated, providerCalled, providerAnswered, resultStored } = featureRunProgress;

/** A feature that reports the given percents (each before its provider call), then paints. */
function reporting(percents: number[], options: { failFirstRun?: boolean } = {}) {
  let runs = 0;
  return definePlugin({
    name: 'reporting-plugin',
    features: [
      defineFeature({
        id: 'report',
        description: 'Reports progress, then paints',
        capability: 'text-to-image',
        intents: { name: 'image_generate', keywords: ['report'], examples: [] },
        input: z.object({ prompt: z.string().min(1) }),
        async run(input, context) {
          runs += 1;
          for (const percent of percents) context.progress(percent);
          if (options.failFirstRun && runs === 1) throw new DarkroomError({ code: 'provider_unavailable', message: 'try again', retryable: true });
          const result = await context.call('text-to-image', { prompt: input.prompt, width: 8, height: 8 });
          return { images: result.images, provider: result.provider, model: result.model, metadata: {} };
        },
      }),
    ],
  });
}

/** Every event of a job, in order. */
function eventsOf(engine: Engine): (jobId: string) => EngineEvent[] {
  const seen: EngineEvent[] = [];
  engine.on((event) => seen.push(event));
  return (jobId) => seen.filter((event) => 'jobId' in event && event.jobId === jobId);
}

/** Runs a direct feature job and answers every event of it, in order. */
async function runJob(engine: Engine, feature: string, input: unknown): Promise<EngineEvent[]> {
  const events = eventsOf(engine);
  const { jobId } = await engine.run(feature, input);
  return events(jobId);
}

const percentsOf = (events: EngineEvent[]) => events.flatMap((event) => (event.type === 'job.progress' ? [event.progress] : []));

function expectIncreasingBeforeSuccess(events: EngineEvent[]): number[] {
  const percents = percentsOf(events);
  for (const [index, percent] of percents.entries()) {
    expect(Number.isFinite(percent) && percent >= 0 && percent <= 100).toBe(true);
    if (index > 0) expect(percent).toBeGreaterThan(percents[index - 1]!);
  }
  const types = events.map((event) => event.type);
  // Written and published before the step that reported them ends, and before the job's end.
  expect(types.lastIndexOf('job.progress')).toBeLessThan(types.lastIndexOf('step.succeeded'));
  expect(types.lastIndexOf('step.succeeded')).toBeLessThan(types.indexOf('job.succeeded'));
  return percents;
}

describe('feature run progress', () => {
  it('states its stages once, in increasing order, and maps a feature\'s 0..100 between the provider call and its answer', () => {
    expect(inputValidated).toBeLessThan(providerCalled);
    expect(providerCalled).toBeLessThan(providerAnswered);
    expect(providerAnswered).toBeLessThan(resultStored);
    expect(resultStored).toBeLessThan(100);
    expect([0, 50, 100].map(featureShareOfRun)).toEqual([providerCalled, 47.5, providerAnswered]);
  });

  it('a direct job whose feature never reports progress still reports the engine\'s stages, then succeeds at 100', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const events = eventsOf(engine);
      const { jobId } = await engine.run('paint', { prompt: 'a boat', size: 16 });
      const percents = expectIncreasingBeforeSuccess(events(jobId));
      expect(percents.length).toBeGreaterThanOrEqual(2);
      expect(percents).toEqual([inputValidated, providerCalled, providerAnswered, resultStored]);
      expect((await engine.jobs.get('local', jobId)).progress).toBe(100);
    } finally {
      await engine.close();
    }
  });

  it('maps a feature\'s 0, 50 and 100 percent into the provider stage, non-decreasing', async () => {
    const engine = await createEngine({ plugins: [reporting([0, 50, 100])], providers: [createInstantProvider()] });
    try {
      const percents = expectIncreasingBeforeSuccess(await runJob(engine, 'report', { prompt: 'a boat' }));
      expect(percents).toEqual([inputValidated, providerCalled, Math.round(featureShareOfRun(50)), providerAnswered, resultStored]);
      const own = percents.slice(1, 4);
      expect(own.every((percent) => percent >= providerCalled && percent <= providerAnswered)).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('clamps a feature\'s out-of-range percents and ignores NaN, non-finite and lower ones', async () => {
    const engine = await createEngine({ plugins: [reporting([-20, Number.NaN, 30, Infinity, 20, -Infinity, 150, 60])], providers: [createInstantProvider()] });
    try {
      const percents = expectIncreasingBeforeSuccess(await runJob(engine, 'report', { prompt: 'a boat' }));
      // -20 → 0 (the provider stage's start), 30 → 32.5, 150 → 100 (the stage's end); the rest moves nothing.
      expect(percents).toEqual([inputValidated, providerCalled, Math.round(featureShareOfRun(30)), providerAnswered, resultStored]);
    } finally {
      await engine.close();
    }
  });

  it('never goes back when a provider falls back to the next one', async () => {
    const failing = defineProvider({
      id: 'failing',
      models: [{ id: 'failing-1', capabilities: ['text-to-image'] }],
      handlers: { 'text-to-image': async () => Promise.reject(new DarkroomError({ code: 'provider_unavailable', message: '503 from upstream', retryable: true })) },
    });
    const engine = await createEngine({ plugins: [reporting([40])], providers: [failing, createInstantProvider()], routing: { 'text-to-image': ['failing', 'instant'] } });
    try {
      const events = await runJob(engine, 'report', { prompt: 'a boat' });
      const percents = expectIncreasingBeforeSuccess(events);
      expect(percents).toEqual([inputValidated, Math.round(featureShareOfRun(40)), providerAnswered, resultStored]);
      const succeeded = events.find((event) => event.type === 'job.succeeded');
      expect(succeeded).toMatchObject({ result: { provider: 'instant', attempts: [{ provider: 'failing', outcome: 'failed' }, { provider: 'instant', outcome: 'succeeded' }] } });
    } finally {
      await engine.close();
    }
  });

  it('never goes back when the job runs again after a retryable failure', async () => {
    const engine = await createEngine({ plugins: [reporting([80], { failFirstRun: true })], providers: [createInstantProvider()], runner: { pollMs: 20, backoff: { baseMs: 1, maxMs: 5 } } });
    try {
      const events = await runJob(engine, 'report', { prompt: 'a boat' });
      expect(events.map((event) => event.type)).toContain('job.retrying');
      // The second run's stages below the first run's 70 (its 5, 10 and the feature's 80 again) are not reported.
      expect(expectIncreasingBeforeSuccess(events)).toEqual([inputValidated, featureShareOfRun(80), providerAnswered, resultStored]);
    } finally {
      await engine.close();
    }
  });

  it('a chat turn of two steps reports increasing percents, each step\'s stages inside its half of 10..95', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const events = eventsOf(engine);
      const session = await engine.chat.createSession('u1');
      const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'paint a boat, then upscale it' });
      expect((await engine.jobs.wait('u1', sent.jobId)).progress).toBe(100);
      const percents = expectIncreasingBeforeSuccess(events(sent.jobId));
      const inStep = (step: number, percent: number) => Math.round(10 + (85 / 2) * (step + percent / 100));
      expect(percents).toEqual([
        10,
        ...[inputValidated, providerCalled, providerAnswered, resultStored, 100].map((percent) => inStep(0, percent)),
        ...[inputValidated, providerCalled, providerAnswered, resultStored, 100].map((percent) => inStep(1, percent)),
      ]);
    } finally {
      await engine.close();
    }
  });
});

// Fairness: user B's first-job latency while user A has a backlog of slow jobs, against B alone.
// A's jobs stand for large images on a remote provider (they wait BENCH_JOB_MS each, off the CPU);
// B's job is tiny and instant. Goal: B behind A's backlog ≤ 2× B alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, defineProvider, type Engine } from '@darkroom/core';
import { solidPng, testPlugin } from '@darkroom/core/testing';
import { row, time } from './measure.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const backlog = Number(process.env.BENCH_BACKLOG ?? 16);
const jobMs = Number(process.env.BENCH_JOB_MS ?? 250);
const concurrency = 4;

const images = new Map<number, Uint8Array>();
for (const size of [16, 512]) images.set(size, await solidPng(size, size));

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** Large images take `jobMs`; small ones are instant. */
const studio = defineProvider({
  id: 'studio',
  models: [{ id: 'studio-1', capabilities: ['text-to-image'] }],
  handlers: {
    'text-to-image': async (request, { signal }) => {
      if (request.width >= 256) await pause(jobMs, signal);
      return { images: [{ bytes: images.get(request.width)!, mimeType: 'image/png', width: request.width, height: request.height }], seed: 1 };
    },
  },
});

const tiny = (engine: Engine) => () => engine.run('paint', { prompt: 'a red boat', size: 16 }, { userId: 'bob' });

/** B's latency, each run measured while A has `backlog` large jobs queued behind its running ones. */
async function behindBacklog(engine: Engine, aRunning: number): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const jobs = [];
    for (let index = 0; index < backlog; index += 1) jobs.push(await engine.submit('paint', { prompt: `a large boat ${index}`, size: 512 }, { userId: 'ann' }));
    while (((await engine.jobs.counts()).running ?? 0) < aRunning) await new Promise((resolve) => setTimeout(resolve, 2));
    const started = performance.now();
    await tiny(engine)();
    samples.push(performance.now() - started);
    await Promise.all(jobs.map((job) => engine.jobs.cancel('ann', job.id)));
    await Promise.all(jobs.map((job) => engine.jobs.wait('ann', job.id)));
  }
  return samples;
}

const results = [];
for (const [name, aRunning, runner, goal] of [
  [`B behind A's backlog (defaults: A runs at most ${concurrency - 1} of ${concurrency})`, concurrency - 1, {}, '≤ 2.00'],
  [`B behind A's backlog, no running limit (A fills all ${concurrency}; fair order only)`, concurrency, { maxRunningPerUser: Infinity }, 'none (why the limit)'],
] as const) {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-fairness-'));
  const engine = await createEngine({ dataDir, plugins: [testPlugin], providers: [studio], runner: { concurrency, ...runner } });
  if (results.length === 0) results.push({ samples: await time(rounds, tiny(engine)), name: 'B alone (tiny job, idle engine)', goal: '' });
  results.push({ samples: await behindBacklog(engine, aRunning), name, goal });
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const baseline = results[0]!.samples;
console.log(`\nFairness: user B's first-job latency while user A has ${backlog} queued jobs of ${jobMs} ms (SQLite file, runner concurrency ${concurrency}, ${rounds} runs each)`);
console.table(results.map(({ name, samples, goal }, index) => ({ ...row(name, samples, index === 0 ? undefined : baseline), goal })));

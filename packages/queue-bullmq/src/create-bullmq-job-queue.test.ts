import { randomUUID } from 'node:crypto';
import {
  createDatabase,
  createSqlCheckpointStore,
  createSqlIdempotencyStore,
  EventBus,
  WorkflowRunner,
  type Database,
  type JobBackend,
  type JobQueue,
  type NewJob,
  type RunnerOptions,
  type Workflow,
} from '@darkroom/core';
import { waitUntil as until } from '@darkroom/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBullmqJobQueue, type BullmqJobQueueOptions } from './create-bullmq-job-queue.js';
import { deleteKeys, hasRedisServer, startOwnRedisServer, testRedis, uniquePrefix, type OwnRedisServer } from './testing-redis.js';

const redisUrl = await testRedis();
const canStartRedis = hasRedisServer();
if (!canStartRedis && process.env.CI) throw new Error('redis-server is not on the PATH: CI must run the Redis restart test');

const newJob = (overrides: Partial<NewJob> = {}): NewJob => ({ id: `job_${randomUUID()}`, userId: 'ann', kind: 'test', input: { n: 1 }, maxAttempts: 3, ...overrides });


/** Queues on one Redis and prefix, as separate processes would open them, sharing one SQL database. */
function queues(url: string) {
  const prefix = uniquePrefix();
  const opened: JobQueue[] = [];
  let database: Database | undefined;
  return {
    async open(options: Partial<BullmqJobQueueOptions> = {}) {
      database ??= await createDatabase({ kind: 'memory' });
      const queue = createBullmqJobQueue({ connection: url, prefix, idempotency: createSqlIdempotencyStore(database.db), ...options });
      opened.push(queue);
      return queue;
    },
    async backend(queue: JobQueue): Promise<JobBackend> {
      database ??= await createDatabase({ kind: 'memory' });
      return { name: 'bullmq', queue, checkpoints: createSqlCheckpointStore(database) };
    },
    get database() {
      return database!;
    },
    async dispose() {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
      await deleteKeys(url, prefix);
      await database?.close();
      database = undefined;
    },
  };
}

const runnerOptions = (options: Partial<RunnerOptions> = {}): RunnerOptions => ({ concurrency: 2, leaseMs: 30_000, pollMs: 1_000, sweepMs: 5_000, maxStalls: 2, backoff: { baseMs: 10, maxMs: 40 }, ...options });

describe.skipIf(!redisUrl)('createBullmqJobQueue', () => {
  let subject: ReturnType<typeof queues>;
  const runners: WorkflowRunner[] = [];
  beforeEach(() => {
    subject = queues(redisUrl!);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await subject.dispose();
  });

  it('brings a cancel requested in one process to the worker of another within a second', async () => {
    const api = await subject.open();
    const worker = await subject.open();
    const heard: string[] = [];
    const unwatch = worker.watch!({ cancelRequested: (jobId) => heard.push(jobId) });
    let started = false;
    let abortedAt = 0;
    const slow: Workflow<unknown, unknown> = {
      kind: 'slow',
      run: (context) =>
        context.step('wait', ({ signal }) =>
          new Promise((_, reject) => {
            started = true;
            signal.addEventListener('abort', () => ((abortedAt = Date.now()), reject(signal.reason)), { once: true });
          }),
        ),
    };
    // Leases of 30 s are renewed every 10 s: only the queue's signal can bring the cancel in time.
    const runner = new WorkflowRunner(await subject.backend(worker), new Map([[slow.kind, slow]]), new EventBus(), runnerOptions());
    runners.push(runner);
    await runner.start();
    const { job } = await api.submit(newJob({ kind: 'slow' }));
    await until(async () => started, Boolean);
    const requestedAt = Date.now();
    expect((await api.requestCancel(job.id))?.state).toBe('running');
    const done = await until(() => api.get(job.id), (record) => record?.state === 'cancelled', 1_000);
    expect(done).toMatchObject({ state: 'cancelled', cancelRequested: true, error: { code: 'cancelled' } });
    expect(abortedAt - requestedAt).toBeLessThan(1_000);
    expect(heard).toEqual([job.id]);
    unwatch();
  });

  it('hands a job whose lock expired to another worker and refuses the first one’s finish, progress and release', async () => {
    const first = await subject.open();
    const second = await subject.open();
    const { job } = await first.submit(newJob());
    const claimed = await first.claim('worker-a', 100);
    expect(claimed).toMatchObject({ id: job.id, attempt: 1, leaseOwner: 'worker-a' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await second.sweep({ maxStalls: 3 })).toEqual({ requeued: [job.id], failed: [] });
    const taken = await second.claim('worker-b', 5_000);
    expect(taken).toMatchObject({ id: job.id, attempt: 2, stalls: 1, leaseOwner: 'worker-b', state: 'running' });

    expect(await first.renew(job.id, 'worker-a', 5_000)).toEqual({ held: false, cancelRequested: false });
    await first.setProgress(job.id, 'worker-a', 70);
    expect((await second.get(job.id))?.progress).toBe(0);
    expect(await first.release(job.id, 'worker-a', { runAfter: Date.now(), error: { code: 'timeout', message: 'slow', retryable: true } })).toBe(false);
    expect(await first.finish(job.id, 'worker-a', { state: 'succeeded', result: 'stale' })).toBe(false);

    await second.setProgress(job.id, 'worker-b', 40);
    expect((await first.get(job.id))?.progress).toBe(40);
    expect(await second.finish(job.id, 'worker-b', { state: 'succeeded', result: 'fresh' })).toBe(true);
    expect(await first.get(job.id)).toMatchObject({ state: 'succeeded', result: 'fresh', attempt: 2, progress: 100 });
  });

  it("keeps a user's running limit across processes claiming at once", async () => {
    const [a, b] = [await subject.open(), await subject.open()];
    for (let index = 0; index < 6; index += 1) await a.submit(newJob({ userId: 'ann' }));
    for (let index = 0; index < 2; index += 1) await b.submit(newJob({ userId: 'bob' }));
    const limit = { maxRunningPerUser: 2 };
    const claims = await Promise.all(Array.from({ length: 12 }, (_, index) => (index % 2 ? a : b).claim(`w${index}`, 5_000, limit)));
    const claimed = claims.filter((job) => job !== undefined);
    expect(new Set(claimed.map((job) => job.id)).size).toBe(claimed.length);
    expect(claimed.filter((job) => job.userId === 'ann')).toHaveLength(2);
    expect(claimed.filter((job) => job.userId === 'bob')).toHaveLength(2);
    expect(await a.countByState()).toEqual({ queued: 4, running: 4 });
  });

  it('adds the job of an idempotency key kept by a submit that stopped before BullMQ had it, under the same id', async () => {
    const queue = await subject.open();
    // A submit that kept the key and died before adding the job.
    const keys = createSqlIdempotencyStore(subject.database.db);
    await keys.reserve({ userId: 'ann', key: 'k1', requestHash: 'h1', jobId: 'job_lost' });
    const replay = await queue.submit(newJob({ idempotency: { key: 'k1', requestHash: 'h1' } }));
    expect(replay).toMatchObject({ created: true, job: { id: 'job_lost', state: 'queued', idempotencyKey: 'k1' } });
    expect(await queue.submit(newJob({ idempotency: { key: 'k1', requestHash: 'h1' } }))).toMatchObject({ created: false, job: { id: 'job_lost' } });
    expect((await queue.claim('w1', 5_000))?.id).toBe('job_lost');
    expect(await queue.claim('w1', 5_000)).toBeUndefined();
  });

  it('keeps finished jobs answerable up to the retention count per user', async () => {
    const queue = await subject.open({ retention: { maxCountPerUser: 2 } });
    const ids: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const { job } = await queue.submit(newJob());
      ids.push(job.id);
      await queue.claim('w1', 5_000);
      await queue.finish(job.id, 'w1', { state: 'succeeded', result: index });
    }
    expect(await Promise.all(ids.map(async (id) => (await queue.get(id))?.result))).toEqual([undefined, undefined, 2, 3]);
  });

  it('takes any well-formed user id, and refuses one with a lone surrogate as invalid input, having queued nothing', async () => {
    const queue = await subject.open();
    for (const userId of ['ann:{x}', 'ảnh 🌅', 'a'.repeat(2_000)]) expect((await queue.submit(newJob({ userId }))).created).toBe(true);
    await expect(queue.submit(newJob({ id: 'job_lone', userId: 'ann\uD800' }))).rejects.toMatchObject({ code: 'invalid_input', status: 400, message: expect.stringMatching(/well-formed Unicode/) });
    expect(await queue.get('job_lone')).toBeUndefined();
  });

  it('wakes watchers when a job is due', async () => {
    const [api, worker] = [await subject.open(), await subject.open()];
    let due = 0;
    worker.watch!({ due: () => (due += 1) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await api.submit(newJob());
    await until(async () => due, (count) => count > 0, 1_000);
  });

  it('rejects ready() with unavailable, naming the Redis without its password', async () => {
    const queue = await subject.open({ connection: 'redis://:hunter2@127.0.0.1:1/3', readyTimeoutMs: 300 });
    const refusal = await queue.ready().catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'unavailable', status: 503, retryable: true, details: { redis: 'redis://127.0.0.1:1/3' } });
    expect((refusal as Error).message).toMatch(/redis:\/\/127\.0\.0\.1:1\/3.*check that redis-server is running/);
    expect((refusal as Error).message).not.toContain('hunter2');
    await expect((await subject.open()).ready()).resolves.toBeUndefined();
  });
});

describe.skipIf(!canStartRedis)('createBullmqJobQueue when Redis is killed and restarted', () => {
  let server: OwnRedisServer | undefined;
  afterEach(async () => {
    await server?.dispose();
  });

  it('answers what API servers call with unavailable while Redis is down, sending nothing; waits through a short restart', async () => {
    server = await startOwnRedisServer();
    const subject = queues(server.url);
    try {
      const api = await subject.open({ unavailableAfterMs: 400 });
      // The default wait (10 s), for the short restart below: a loaded machine may take a while to restart Redis.
      const patient = await subject.open();
      const { job } = await api.submit(newJob());
      await server.kill();
      const unavailable = { code: 'unavailable', status: 503, retryable: true };
      // A read caught in flight by the kill is answered within the wait too (its outcome unknown: a
      // read changes nothing); after it, the connection knows Redis is down and sends nothing more.
      await expect(api.countByState()).rejects.toMatchObject(unavailable);
      for (const call of [() => api.submit(newJob({ id: 'job_refused' })), () => api.get(job.id), () => api.requestCancel(job.id), () => api.countByState()]) {
        const started = Date.now();
        const refusal = await call().catch((error: unknown) => error);
        expect(refusal).toMatchObject(unavailable);
        expect((refusal as Error).message).toMatch(/check that redis-server is running/);
        expect(Date.now() - started).toBeLessThan(2_000);
      }
      // Down for less than the wait: the submit waits for Redis and is acknowledged.
      const waiting = patient.submit(newJob({ id: 'job_waited' }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.start();
      expect((await waiting).job.state).toBe('queued');
      // The refused calls did nothing once Redis was back: no job_refused, the first job not cancelled.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await api.get('job_refused')).toBeUndefined();
      expect((await api.get(job.id))?.state).toBe('queued');
      expect(await api.countByState()).toEqual({ queued: 2 });
    } finally {
      await subject.dispose();
    }
  });

  it('loses no job: AOF brings every queued and running job back, and all of them finish', { timeout: 90_000 }, async () => {
    server = await startOwnRedisServer();
    const subject = queues(server.url);
    const runs = new Map<string, number>();
    const work: Workflow<unknown, unknown> = {
      kind: 'work',
      run: async (context) => {
        runs.set(context.job.id, (runs.get(context.job.id) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return context.job.id;
      },
    };
    let runner: WorkflowRunner | undefined;
    try {
      const api = await subject.open();
      const ids: string[] = [];
      for (let index = 0; index < 40; index += 1) ids.push((await api.submit(newJob({ kind: 'work', userId: `user-${index % 3}` }))).job.id);

      // A crash before any worker ran: every job is still there, queued.
      await server.kill();
      await server.start();
      expect((await Promise.all(ids.map((id) => api.get(id)))).map((job) => job?.state)).toEqual(ids.map(() => 'queued'));

      // A crash under load.
      const worker = await subject.open();
      runner = new WorkflowRunner(await subject.backend(worker), new Map([[work.kind, work]]), new EventBus(), runnerOptions({ concurrency: 4, leaseMs: 3_000, pollMs: 50, sweepMs: 200 }));
      await runner.start();
      await until(async () => runs.size, (count) => count >= 10);
      await server.kill();
      const ranBeforeCrash = runs.size;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.start();

      // Wait for every job to end, however it ends, so that a failure says which jobs ended how.
      const ended = await Promise.all(ids.map((id) => until(() => api.get(id), (job) => ['succeeded', 'failed', 'cancelled'].includes(job?.state ?? ''), 60_000)));
      expect(ended.filter((job) => job?.state !== 'succeeded').map((job) => ({ id: job?.id, state: job?.state, error: job?.error, attempt: job?.attempt, stalls: job?.stalls }))).toEqual([]);
      expect(ranBeforeCrash).toBeLessThan(ids.length);
      expect(ended.map((job) => job?.result)).toEqual(ids);
      expect(await api.countByState()).toEqual({ succeeded: 40 });
    } finally {
      await runner?.stop();
      await subject.dispose();
    }
  });
});

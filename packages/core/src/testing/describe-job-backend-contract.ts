import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DarkroomError } from '@darkroom/plugin-api';
import { EventBus } from '../events/event-bus.js';
import type { Workflow } from '../jobs/define-workflow.js';
import type { JobBackend } from '../jobs/job-backend.js';
import { terminalJobStates, type JobRecord } from '../jobs/job-types.js';
import { WorkflowRunner, type RunnerOptions } from '../jobs/workflow-runner.js';
import { createId } from '../store/create-id.js';
import { waitUntil as until } from './wait-until.js';

export interface ContractSubject {
  backend: JobBackend;
  dispose(): Promise<void>;
}

const fastRunner: RunnerOptions = { concurrency: 2, leaseMs: 600, pollMs: 20, sweepMs: 100, maxStalls: 2, backoff: { baseMs: 10, maxMs: 40 } };


const terminal = (job: JobRecord | undefined) => job !== undefined && terminalJobStates.includes(job.state);

/**
 * The job contract of DESIGN.md §5, for any JobBackend: the embedded SQL backends run it, and so
 * must any distributed backend added later.
 */
export function describeJobBackendContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`job contract: ${name}`, () => {
    let subject: ContractSubject;
    // What this test opened: none when opening failed (that failure is the test's to report).
    const opened: ContractSubject[] = [];
    let backend: JobBackend;
    const runners: WorkflowRunner[] = [];
    const newJob = (overrides: Partial<Parameters<JobBackend['queue']['submit']>[0]> = {}) => ({ id: createId('job'), userId: 'u1', kind: 'test', input: { n: 1 }, maxAttempts: 3, ...overrides });
    const startRunner = async (workflows: Workflow<any, any>[], options: Partial<RunnerOptions> = {}) => {
      const runner = new WorkflowRunner(backend, new Map(workflows.map((workflow) => [workflow.kind, workflow])), new EventBus(), { ...fastRunner, ...options });
      runners.push(runner);
      await runner.start();
      return runner;
    };

    beforeEach(async () => {
      subject = await open();
      opened.push(subject);
      backend = subject.backend;
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
      await Promise.all(opened.splice(0).map((each) => each.dispose()));
    });

    it('claims a queued job once, under a lease, counting the attempt', async () => {
      const { job, created } = await backend.queue.submit(newJob());
      expect(created).toBe(true);
      expect(job.state).toBe('queued');
      const claimed = await backend.queue.claim('w1', 5_000);
      expect(claimed).toMatchObject({ id: job.id, state: 'running', attempt: 1, leaseOwner: 'w1' });
      expect(await backend.queue.claim('w2', 5_000)).toBeUndefined();
      expect(await backend.queue.renew(job.id, 'w2', 5_000)).toEqual({ held: false, cancelRequested: false });
      expect(await backend.queue.renew(job.id, 'w1', 5_000)).toEqual({ held: true, cancelRequested: false });
      expect(await backend.queue.finish(job.id, 'w2', { state: 'succeeded', result: 1 })).toBe(false);
      expect(await backend.queue.finish(job.id, 'w1', { state: 'succeeded', result: { ok: true } })).toBe(true);
      expect(await backend.queue.get(job.id)).toMatchObject({ state: 'succeeded', result: { ok: true }, progress: 100 });
    });

    it('returns the same job for the same idempotency key and body, and refuses a different body', async () => {
      const first = await backend.queue.submit(newJob({ idempotency: { key: 'k1', requestHash: 'h1' } }));
      const again = await backend.queue.submit(newJob({ idempotency: { key: 'k1', requestHash: 'h1' } }));
      expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
      await expect(backend.queue.submit(newJob({ idempotency: { key: 'k1', requestHash: 'h2' } }))).rejects.toMatchObject({ code: 'idempotency_mismatch', status: 422 });
      const otherUser = await backend.queue.submit(newJob({ userId: 'u2', idempotency: { key: 'k1', requestHash: 'h2' } }));
      expect(otherUser.created).toBe(true);
    });

    it('does not hand out a released job before it is due', async () => {
      const { job } = await backend.queue.submit(newJob());
      await backend.queue.claim('w1', 5_000);
      await backend.queue.release(job.id, 'w1', { runAfter: Date.now() + 60_000, error: { code: 'timeout', message: 'slow', retryable: true } });
      expect(await backend.queue.claim('w1', 5_000)).toBeUndefined();
      expect(await backend.queue.nextDueAt()).toBeGreaterThan(Date.now() + 50_000);
    });

    it('cancels a queued job at once and flags a running one', async () => {
      const queued = await backend.queue.submit(newJob());
      expect((await backend.queue.requestCancel(queued.job.id))?.state).toBe('cancelled');
      const running = await backend.queue.submit(newJob());
      await backend.queue.claim('w1', 5_000);
      expect((await backend.queue.requestCancel(running.job.id))?.state).toBe('running');
      expect(await backend.queue.renew(running.job.id, 'w1', 5_000)).toEqual({ held: true, cancelRequested: true });
    });

    it('requeues a job whose lease expired, and fails it after too many stalls', async () => {
      const { job } = await backend.queue.submit(newJob());
      for (let stall = 1; stall <= 2; stall += 1) {
        await backend.queue.claim('dead-worker', 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(await backend.queue.sweep({ maxStalls: 2 })).toEqual({ requeued: [job.id], failed: [] });
        expect(await backend.queue.get(job.id)).toMatchObject({ state: 'queued', stalls: stall });
      }
      await backend.queue.claim('dead-worker', 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await backend.queue.sweep({ maxStalls: 2 })).toEqual({ requeued: [], failed: [job.id] });
      expect((await backend.queue.get(job.id))?.error?.message).toMatch(/stalled 3 times/);
    });

    it('checkpoints steps and counts their attempts', async () => {
      const { job } = await backend.queue.submit(newJob());
      const claimed = await backend.queue.claim('w1', 5_000);
      const lease = { owner: 'w1', attempt: claimed!.attempt };
      await backend.checkpoints.fence(job.id, lease);
      expect((await backend.checkpoints.startStep(job.id, 'a', lease)).attempt).toBe(1);
      await backend.checkpoints.finishStep(job.id, 'a', lease, { error: { code: 'timeout', message: 'x', retryable: true } });
      expect((await backend.checkpoints.startStep(job.id, 'a', lease)).attempt).toBe(2);
      await backend.checkpoints.saveStepState(job.id, 'a', lease, { task: 't-1' });
      await backend.checkpoints.finishStep(job.id, 'a', lease, { output: { asset: 'ast_1' } });
      await backend.checkpoints.startStep(job.id, 'b', lease);
      expect(await backend.checkpoints.steps(job.id)).toMatchObject([
        { key: 'a', status: 'succeeded', attempt: 2, output: { asset: 'ast_1' }, state: { task: 't-1' } },
        { key: 'b', status: 'running', attempt: 1 },
      ]);
    });

    it('records a step that ran and ended in one write, counting its attempt and keeping what it saved', async () => {
      const { job } = await backend.queue.submit(newJob());
      const claimed = await backend.queue.claim('w1', 5_000);
      const lease = { owner: 'w1', attempt: claimed!.attempt };
      await backend.checkpoints.fence(job.id, lease);
      await backend.checkpoints.recordStep(job.id, 'a', lease, { startedAt: 1_000, outcome: { error: { code: 'timeout', message: 'x', retryable: true } } });
      await backend.checkpoints.recordStep(job.id, 'b', lease, { startedAt: 2_000, outcome: { output: 'b done' } });
      await backend.checkpoints.startStep(job.id, 'a', lease);
      await backend.checkpoints.saveStepState(job.id, 'a', lease, { task: 't-1' });
      await backend.checkpoints.recordStep(job.id, 'a', lease, { startedAt: 3_000, outcome: { output: { asset: 'ast_1' } } });
      expect(await backend.checkpoints.steps(job.id)).toMatchObject([
        { key: 'a', status: 'succeeded', attempt: 3, startedAt: 3_000, output: { asset: 'ast_1' }, state: { task: 't-1' } },
        { key: 'b', status: 'succeeded', attempt: 1, startedAt: 2_000, output: 'b done' },
      ]);
      const stale = { owner: 'someone-else', attempt: lease.attempt };
      await expect(backend.checkpoints.recordStep(job.id, 'c', stale, { startedAt: 4_000, outcome: { output: 'stale' } })).rejects.toMatchObject({ code: 'conflict', status: 409 });
      expect((await backend.checkpoints.steps(job.id)).map((step) => step.key)).toEqual(['a', 'b']);
    });

    it('refuses checkpoint writes from a worker whose claim was superseded (fencing)', async () => {
      const { job } = await backend.queue.submit(newJob());
      const first = await backend.queue.claim('old', 100);
      const old = { owner: 'old', attempt: first!.attempt };
      await backend.checkpoints.fence(job.id, old);
      await backend.checkpoints.startStep(job.id, 'a', old);
      // The old worker stalls; its lease lapses and another worker claims the job.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await backend.queue.sweep({ maxStalls: 3 });
      const second = await backend.queue.claim('new', 5_000);
      expect(second).toMatchObject({ id: job.id, leaseOwner: 'new' });
      expect(second!.attempt).toBeGreaterThan(first!.attempt);
      const current = { owner: 'new', attempt: second!.attempt };
      await backend.checkpoints.fence(job.id, current);
      const lost = { code: 'conflict', status: 409, details: { reason: 'lease_lost' } };
      await expect(backend.checkpoints.finishStep(job.id, 'a', old, { output: 'stale' })).rejects.toMatchObject(lost);
      await expect(backend.checkpoints.saveStepState(job.id, 'a', old, { task: 'stale' })).rejects.toMatchObject(lost);
      await expect(backend.checkpoints.startStep(job.id, 'b', old)).rejects.toMatchObject(lost);
      // Fencing again with the old claim does not take the checkpoints back.
      await expect(backend.checkpoints.fence(job.id, old)).rejects.toMatchObject(lost);
      await backend.checkpoints.startStep(job.id, 'a', current);
      await backend.checkpoints.finishStep(job.id, 'a', current, { output: 'fresh' });
      expect(await backend.checkpoints.steps(job.id)).toMatchObject([{ key: 'a', status: 'succeeded', output: 'fresh', attempt: 2 }]);
      // The queue refuses the old worker too.
      expect(await backend.queue.finish(job.id, 'old', { state: 'succeeded', result: 'stale' })).toBe(false);
    });

    it('answers its readiness probes', async () => {
      await expect(backend.queue.ready()).resolves.toBeUndefined();
      await expect(backend.checkpoints.ready()).resolves.toBeUndefined();
    });

    it('runs a workflow and never re-runs a step that finished before a crash', async () => {
      const calls: string[] = [];
      const workflow: Workflow<{ n: number }, number> = {
        kind: 'test',
        async run(context) {
          const a = await context.step('a', async () => (calls.push('a'), context.input.n + 1));
          const b = await context.step('b', async () => (calls.push('b'), a * 10));
          await context.progress(50);
          return b;
        },
      };
      const { job } = await backend.queue.submit(newJob());
      // A worker that dies after step a: its lease lapses and nobody releases the job.
      const crashed = await backend.queue.claim('crashed', 200);
      const lease = { owner: 'crashed', attempt: crashed!.attempt };
      await backend.checkpoints.fence(job.id, lease);
      await backend.checkpoints.startStep(job.id, 'a', lease);
      await backend.checkpoints.finishStep(job.id, 'a', lease, { output: 2 });
      await startRunner([workflow]);
      const done = await until(() => backend.queue.get(job.id), terminal);
      expect(done).toMatchObject({ state: 'succeeded', result: 20, stalls: 1, attempt: 2 });
      expect(calls).toEqual(['b']);
    });

    it('retries retryable failures with backoff and fails non-retryable ones at once', async () => {
      let flaky = 0;
      let broken = 0;
      await startRunner([
        { kind: 'flaky', run: (context) => context.step('s', async () => { flaky += 1; if (flaky < 3) throw new DarkroomError({ code: 'provider_unavailable', message: 'busy', retryable: true }); return 'ok'; }) },
        { kind: 'broken', run: (context) => context.step('s', async () => { broken += 1; throw new DarkroomError({ code: 'invalid_input', message: 'bad scale' }); }) },
      ]);
      const retried = await backend.queue.submit(newJob({ kind: 'flaky' }));
      const failed = await backend.queue.submit(newJob({ kind: 'broken' }));
      expect(await until(() => backend.queue.get(retried.job.id), terminal)).toMatchObject({ state: 'succeeded', attempt: 3, result: 'ok' });
      expect(await until(() => backend.queue.get(failed.job.id), terminal)).toMatchObject({ state: 'failed', attempt: 1, error: { code: 'invalid_input' } });
      expect(broken).toBe(1);
      expect((await backend.checkpoints.steps(retried.job.id))[0]).toMatchObject({ status: 'succeeded', attempt: 3 });
    });

    it('keeps what a step saved for its re-run (a provider task id is not lost to a crash)', async () => {
      const seen: unknown[] = [];
      await startRunner([
        {
          kind: 'reattach',
          run: (context) =>
            context.step('call', async ({ checkpoint, attempt }) => {
              seen.push(checkpoint.get('task'));
              if (attempt === 1) {
                await checkpoint.set('task', 'task-123');
                throw new DarkroomError({ code: 'provider_unavailable', message: 'connection reset', retryable: true });
              }
              return checkpoint.get('task');
            }),
        },
      ]);
      const { job } = await backend.queue.submit(newJob({ kind: 'reattach' }));
      expect(await until(() => backend.queue.get(job.id), terminal)).toMatchObject({ state: 'succeeded', result: 'task-123' });
      expect(seen).toEqual([undefined, 'task-123']);
      expect((await backend.checkpoints.steps(job.id))[0]!.state).toEqual({ task: 'task-123' });
    });

    it('retries through an outage of a service the engine needs (unavailable) beyond maxAttempts, until the deadline', async () => {
      let calls = 0;
      await startRunner([
        { kind: 'outage', run: (context) => context.step('s', async () => { calls += 1; if (calls < 4) throw new DarkroomError({ code: 'unavailable', message: 'the database does not answer', retryable: true }); return 'ok'; }) },
      ]);
      const { job } = await backend.queue.submit(newJob({ kind: 'outage', maxAttempts: 2 }));
      expect(await until(() => backend.queue.get(job.id), terminal)).toMatchObject({ state: 'succeeded', result: 'ok' });
      expect(calls).toBe(4);
    });

    it("waits at least the provider's own delay hint before retrying", async () => {
      const starts: number[] = [];
      await startRunner([
        {
          kind: 'limited',
          run: (context) =>
            context.step('s', async () => {
              starts.push(Date.now());
              if (starts.length === 1) throw new DarkroomError({ code: 'rate_limited', message: '429', retryable: true, details: { retryAfterMs: 400 } });
              return 'ok';
            }),
        },
      ]);
      const { job } = await backend.queue.submit(newJob({ kind: 'limited' }));
      expect(await until(() => backend.queue.get(job.id), terminal)).toMatchObject({ state: 'succeeded' });
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(380);
    });

    it('gives up after max attempts', async () => {
      await startRunner([{ kind: 'down', run: (context) => context.step('s', async () => { throw new DarkroomError({ code: 'provider_unavailable', message: 'down', retryable: true }); }) }]);
      const { job } = await backend.queue.submit(newJob({ kind: 'down', maxAttempts: 2 }));
      expect(await until(() => backend.queue.get(job.id), terminal)).toMatchObject({ state: 'failed', attempt: 2, error: { code: 'provider_unavailable' } });
    });

    it('cancellation reaches the running step through its AbortSignal', async () => {
      let sawAbort = false;
      let started = false;
      const runner = await startRunner([
        {
          kind: 'slow',
          run: (context) =>
            context.step('wait', ({ signal }) =>
              new Promise((_, reject) => {
                started = true;
                signal.addEventListener('abort', () => { sawAbort = true; reject(signal.reason); }, { once: true });
              }),
            ),
        },
      ]);
      const { job } = await backend.queue.submit(newJob({ kind: 'slow' }));
      runner.wake();
      await until(async () => started, Boolean);
      await backend.queue.requestCancel(job.id);
      // Another process's request reaches this runner at its next lease renewal.
      expect(await until(() => backend.queue.get(job.id), terminal, 5_000)).toMatchObject({ state: 'cancelled' });
      expect(sawAbort).toBe(true);
    });

    it("claims another user's job next while one user has a backlog, and takes turns between users", async () => {
      const backlog = [];
      for (let index = 0; index < 4; index += 1) backlog.push((await backend.queue.submit(newJob({ userId: 'ann' }))).job.id);
      const first = await backend.queue.claim('w1', 5_000);
      expect(first?.id).toBe(backlog[0]);
      const bob = await backend.queue.submit(newJob({ userId: 'bob' }));
      // Bob has nothing running and ann has one: bob's job goes next although ann's backlog is older.
      expect((await backend.queue.claim('w1', 5_000))?.id).toBe(bob.job.id);
      expect((await backend.queue.claim('w1', 5_000))?.id).toBe(backlog[1]);
      for (const id of [first!.id, bob.job.id, backlog[1]!]) await backend.queue.finish(id, 'w1', { state: 'succeeded', result: null });
      // With nothing running, the user served least recently goes first, oldest job first.
      const more = [(await backend.queue.submit(newJob({ userId: 'bob' }))).job.id, (await backend.queue.submit(newJob({ userId: 'bob' }))).job.id];
      const order: string[] = [];
      for (let claim = 0; claim < 4; claim += 1) {
        const job = await backend.queue.claim('w1', 5_000);
        order.push(job!.id);
        await backend.queue.finish(job!.id, 'w1', { state: 'succeeded', result: null });
      }
      expect(order).toEqual([more[0], backlog[2], more[1], backlog[3]]);
      expect(await backend.queue.claim('w1', 5_000)).toBeUndefined();
    });

    it("never claims beyond a user's running limit, and hands the free slot to other users", async () => {
      const limit = { maxRunningPerUser: 2 };
      const ann = [];
      for (let index = 0; index < 3; index += 1) ann.push((await backend.queue.submit(newJob({ userId: 'ann' }))).job.id);
      expect((await backend.queue.claim('w1', 5_000, limit))?.id).toBe(ann[0]);
      expect((await backend.queue.claim('w1', 5_000, limit))?.id).toBe(ann[1]);
      expect(await backend.queue.claim('w1', 5_000, limit)).toBeUndefined();
      const bob = await backend.queue.submit(newJob({ userId: 'bob' }));
      expect((await backend.queue.claim('w1', 5_000, limit))?.id).toBe(bob.job.id);
      await backend.queue.release(ann[0]!, 'w1', { runAfter: Date.now(), error: { code: 'timeout', message: 'slow', retryable: true } });
      expect((await backend.queue.claim('w1', 5_000, limit))?.id).toBe(ann[2]);
      expect(await backend.queue.claim('w1', 5_000, limit)).toBeUndefined();
      await backend.queue.finish(ann[1]!, 'w1', { state: 'succeeded', result: null });
      expect((await backend.queue.claim('w1', 5_000, limit))?.id).toBe(ann[0]);
    });

    it("refuses a submit beyond the user's queued limit with rate_limited (429), telling when to retry", async () => {
      const limit = { maxQueuedPerUser: 2 };
      const first = await backend.queue.submit(newJob({ userId: 'ann', idempotency: { key: 'k1', requestHash: 'h1' } }), limit);
      await backend.queue.submit(newJob({ userId: 'ann' }), limit);
      const refusal = await backend.queue.submit(newJob({ userId: 'ann' }), limit).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, details: { limit: 2, retry_after_seconds: expect.any(Number) } });
      expect((refusal as Error).message).toMatch(/2 jobs waiting.*retry after \d+ s/);
      // A replayed key answers its job; other users have their own share; a started job frees a place.
      expect(await backend.queue.submit(newJob({ userId: 'ann', idempotency: { key: 'k1', requestHash: 'h1' } }), limit)).toMatchObject({ created: false, job: { id: first.job.id } });
      expect((await backend.queue.submit(newJob({ userId: 'bob' }), limit)).created).toBe(true);
      await backend.queue.claim('w1', 5_000);
      expect((await backend.queue.submit(newJob({ userId: 'ann' }), limit)).created).toBe(true);
    });

    it('keeps every limit under concurrent submits and claims', async () => {
      const submits = await Promise.allSettled(Array.from({ length: 12 }, () => backend.queue.submit(newJob({ userId: 'ann' }), { maxQueuedPerUser: 5 })));
      expect(submits.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
      expect(submits.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill('rate_limited'));
      for (let index = 0; index < 5; index += 1) await backend.queue.submit(newJob({ userId: 'bob' }));
      const claims = await Promise.all(Array.from({ length: 10 }, (_, worker) => backend.queue.claim(`w${worker}`, 5_000, { maxRunningPerUser: 2 })));
      const claimed = claims.filter((job): job is JobRecord => job !== undefined);
      expect(new Set(claimed.map((job) => job.id)).size).toBe(claimed.length);
      expect(claimed.filter((job) => job.userId === 'ann')).toHaveLength(2);
      expect(claimed.filter((job) => job.userId === 'bob')).toHaveLength(2);
    });

    it("runs another user's job while the runner is full of one user's backlog, up to that user's limit", async () => {
      const started: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await startRunner([{ kind: 'held', run: async (context) => (started.push(context.job.userId), gate) }], { concurrency: 3, maxRunningPerUser: 2 });
      try {
        const ann = await Promise.all(Array.from({ length: 5 }, () => backend.queue.submit(newJob({ userId: 'ann', kind: 'held' }))));
        await until(async () => started.length, (count) => count === 2);
        const bob = await backend.queue.submit(newJob({ userId: 'bob', kind: 'held' }));
        // Wait for the run to start, not for the claim: a job is running a moment before its workflow starts.
        await until(async () => started.length, (count) => count === 3);
        expect(started).toEqual(['ann', 'ann', 'bob']);
        expect((await backend.queue.get(bob.job.id))?.state).toBe('running');
        expect((await Promise.all(ann.map(({ job }) => backend.queue.get(job.id)))).filter((job) => job?.state === 'queued')).toHaveLength(3);
        release();
        for (const { job } of ann) await until(() => backend.queue.get(job.id), terminal);
      } finally {
        // A failed expectation must not leave the held runs waiting (the runner's stop would wait for them).
        release();
      }
    });

    it('lists one user\'s jobs newest first, a page at a time, filtered by state and kind', async () => {
      const queue = backend.queue;
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) ids.push((await queue.submit(newJob({ userId: 'lister', kind: index % 2 ? 'odd' : 'even' }))).job.id);
      await queue.submit(newJob({ userId: 'someone-else' }));
      const first = await queue.list('lister', { limit: 2 });
      expect(first.jobs.map((job) => job.id)).toEqual([ids[4], ids[3]]);
      expect(first.jobs.every((job) => job.userId === 'lister')).toBe(true);
      const second = await queue.list('lister', { limit: 2, cursor: first.nextCursor! });
      expect(second.jobs.map((job) => job.id)).toEqual([ids[2], ids[1]]);
      const last = await queue.list('lister', { limit: 2, cursor: second.nextCursor! });
      expect(last).toEqual({ jobs: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
      expect((await queue.list('lister', { kind: 'odd' })).jobs.map((job) => job.id)).toEqual([ids[3], ids[1]]);
      const claimed = await queue.claim('w1', 5_000);
      await queue.finish(claimed!.id, 'w1', { state: 'succeeded', result: 1 });
      expect((await queue.list('lister', { state: 'succeeded' })).jobs.map((job) => job.id)).toEqual(claimed!.userId === 'lister' ? [claimed!.id] : []);
      expect((await queue.list('nobody', {})).jobs).toEqual([]);
    });

    it('fails a job that passes its deadline', async () => {
      // A step that waits for its signal (on a loaded machine the deadline may have passed before it starts).
      const stuck = (signal: AbortSignal) => new Promise((_, reject) => (signal.aborted ? reject(signal.reason) : signal.addEventListener('abort', () => reject(signal.reason))));
      await startRunner([{ kind: 'stuck', run: (context) => context.step('s', ({ signal }) => stuck(signal)) }]);
      const { job } = await backend.queue.submit(newJob({ kind: 'stuck', deadlineAt: Date.now() + 150 }));
      const ended = await until(() => backend.queue.get(job.id), terminal);
      // Its whole error on failure: which path ended it (a stall, a lost lease) is the clue.
      expect(ended, JSON.stringify({ error: ended?.error, attempt: ended?.attempt })).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
    });
  });
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus.js';
import { createDatabase, type Database } from '../store/create-database.js';
import { joinUnitOfWork, outsideUnitOfWork, runInUnitOfWork } from '../store/unit-of-work.js';
import { countDurableTransactions } from '../testing/count-durable-transactions.js';
import { waitUntil } from '../testing/wait-until.js';
import { createSqlJobBackend } from './create-sql-job-backend.js';
import type { Workflow } from './define-workflow.js';
import type { JobBackend } from './job-backend.js';
import { defaultRunnerOptions, WorkflowRunner } from './workflow-runner.js';

describe('the runner and units of work (SQLite)', () => {
  let database: Database;
  let backend: JobBackend;
  let runner: WorkflowRunner | undefined;
  const counter = countDurableTransactions();
  const session = (id: string) => database.db.insertInto('sessions').values({ id, user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
  const sessions = async () => (await database.db.selectFrom('sessions').select('id').orderBy('id').execute()).map((row) => row.id);

  beforeEach(async () => {
    database = await createDatabase({ kind: 'memory', onQuery: counter.onQuery });
    backend = createSqlJobBackend(database);
  });
  afterEach(async () => {
    await runner?.stop();
    await database.close();
  });

  async function run(workflow: Workflow<unknown, unknown>) {
    runner = new WorkflowRunner(backend, new Map([[workflow.kind, workflow]]), new EventBus(), { ...defaultRunnerOptions, backoff: { baseMs: 10, maxMs: 20 } });
    await runner.start();
    counter.take();
    const { job } = await backend.queue.submit({ id: `job_${workflow.kind}`, userId: 'u1', kind: workflow.kind, input: {}, maxAttempts: 1 });
    runner.wake();
    return waitUntil(() => backend.queue.get(job.id), (record) => record?.state === 'succeeded' || record?.state === 'failed', 5_000);
  }

  it('commits what a step stored with its end and the job\'s end: one transaction after the claim', async () => {
    const job = await run({
      kind: 'one',
      run: (context) =>
        context.step('store', async () => {
          joinUnitOfWork();
          await session('ses_a');
          return 'stored';
        }),
    });
    expect(job?.state).toBe('succeeded');
    expect(await sessions()).toEqual(['ses_a']);
    // The submit (1), the claim with its fence (1), the step's row, its end and the job's end (1).
    expect(counter.take()).toBe(3);
    expect((await backend.checkpoints.steps(job!.id)).map((step) => [step.key, step.status, step.attempt])).toEqual([['store', 'succeeded', 1]]);
  });

  it('writes steps that stored nothing with the next step that stored something, in order', async () => {
    const job = await run({
      kind: 'chain',
      run: async (context) => {
        await context.step('plan', async () => 'planned');
        await context.step('think', async () => 'thought');
        await context.step('store', async () => {
          joinUnitOfWork();
          await session('ses_b');
          return null;
        });
        return 'done';
      },
    });
    expect(job?.state).toBe('succeeded');
    expect((await backend.checkpoints.steps(job!.id)).map((step) => step.key)).toEqual(['plan', 'think', 'store']);
    expect(counter.take()).toBe(3);
  });

  it('undoes what a failing step stored, and keeps the steps that ended before it', async () => {
    const job = await run({
      kind: 'failing',
      run: async (context) => {
        await context.step('plan', async () => 'planned');
        return context.step('store', async () => {
          joinUnitOfWork();
          await session('ses_c');
          throw new Error('the provider failed after the row was written');
        });
      },
    });
    expect(job?.state).toBe('failed');
    expect(await sessions()).toEqual([]);
    expect((await backend.checkpoints.steps(job!.id)).map((step) => [step.key, step.status])).toEqual([
      ['plan', 'succeeded'],
      ['store', 'failed'],
    ]);
  });

  it('runs steps side by side and one inside another, each storing, without waiting on each other', async () => {
    const started = Date.now();
    const job = await run({
      kind: 'parallel',
      run: async (context) => {
        const store = (key: string, id: string) =>
          context.step(key, async () => {
            joinUnitOfWork();
            await session(id);
            return id;
          });
        await Promise.all([store('a', 'ses_1'), store('b', 'ses_2'), store('c', 'ses_3')]);
        return context.step('outer', async () => {
          await store('inner', 'ses_4');
          joinUnitOfWork();
          await session('ses_5');
          return null;
        });
      },
    });
    expect(job?.state).toBe('succeeded');
    expect(await sessions()).toEqual(['ses_1', 'ses_2', 'ses_3', 'ses_4', 'ses_5']);
    expect((await backend.checkpoints.steps(job!.id)).map((step) => step.key).sort()).toEqual(['a', 'b', 'c', 'inner', 'outer']);
    // Held units are let go within their 20 ms, never by the 2 s guard.
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('the runner and units of work: review cases (SQLite)', () => {
  let database: Database;
  let backend: JobBackend;
  let runner: WorkflowRunner | undefined;
  const session = (id: string) => database.db.insertInto('sessions').values({ id, user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();

  beforeEach(async () => {
    database = await createDatabase({ kind: 'memory' });
    backend = createSqlJobBackend(database);
  });
  afterEach(async () => {
    await runner?.stop();
    await database.close();
  });

  it('does not hold a step\'s joined unit open for a progress write of a step beside it (SQLite: one connection)', async () => {
    const workflow: Workflow<unknown, unknown> = {
      kind: 'progress-beside',
      run: async (context) => {
        await Promise.all([
          context.step('stores', async () => {
            joinUnitOfWork();
            await session('ses_p');
            // The step beside reports while this unit holds the connection.
            await new Promise((resolve) => setTimeout(resolve, 30));
            return null;
          }),
          context.step('reports', async () => {
            await new Promise((resolve) => setTimeout(resolve, 10));
            await context.progress(50);
            return null;
          }),
        ]);
        return null;
      },
    };
    runner = new WorkflowRunner(backend, new Map([[workflow.kind, workflow]]), new EventBus(), { ...defaultRunnerOptions, progressWriteMs: 0 });
    await runner.start();
    const started = Date.now();
    const { job } = await backend.queue.submit({ id: 'job_beside', userId: 'u1', kind: workflow.kind, input: {}, maxAttempts: 1 });
    runner.wake();
    const done = await waitUntil(() => backend.queue.get(job.id), (record) => record?.state === 'succeeded' || record?.state === 'failed', 5_000);
    expect(done?.state).toBe('succeeded');
    // Not the 2 s guard.
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('hands a job claimed in a unit that commits while it stops back to the queue before stop() answers', async () => {
    const workflow: Workflow<unknown, unknown> = { kind: 'never-started', run: async () => null };
    // A release that takes a while (a remote database): stop() must wait for it, since the database closes next.
    const slow: JobBackend = { ...backend, queue: { ...backend.queue, release: async (...args) => { await new Promise((resolve) => setTimeout(resolve, 50)); return backend.queue.release(...args); } } };
    runner = new WorkflowRunner(slow, new Map([[workflow.kind, workflow]]), new EventBus(), defaultRunnerOptions);
    await runner.start();
    let stopped: Promise<void> | undefined;
    await runInUnitOfWork(async () => {
      await backend.queue.submit({ id: 'job_stopping', userId: 'u1', kind: workflow.kind, input: {}, maxAttempts: 1 });
      expect((await runner!.claimWithinUnit()).claimed).toBe(true);
      stopped = outsideUnitOfWork(() => runner!.stop());
    });
    await stopped;
    expect((await backend.queue.get('job_stopping'))?.state).toBe('queued');
  });
});

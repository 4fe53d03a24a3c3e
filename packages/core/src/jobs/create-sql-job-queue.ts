import type { Kysely, Selectable } from 'kysely';
import { sql } from '../store/kysely-runtime.js';
import { DarkroomError, type SerializedError } from '@darkroom/plugin-api';
import type { Database } from '../store/create-database.js';
import { createSqlIdempotencyStore } from '../store/create-sql-idempotency-store.js';
import type { DatabaseSchema, JobsTable } from '../store/database-schema.js';
import type { IdempotencyRecord } from '../store/idempotency-store.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import type { JobQueue } from './job-queue.js';
import { maxJobPage, type JobRecord, type JobState } from './job-types.js';
import { probeDatabase } from '../store/probe-database.js';
import { idempotentJobId } from './idempotent-job-id.js';
import { queueFullError } from './queue-full-error.js';
import { runExclusive } from './run-exclusive.js';

const toJob = (row: Selectable<JobsTable>): JobRecord => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  input: fromJsonColumn(row.input),
  state: row.state as JobState,
  attempt: row.attempt,
  maxAttempts: row.max_attempts,
  stalls: row.stalls,
  progress: row.progress,
  result: fromJsonColumn(row.result),
  error: fromJsonColumn<SerializedError>(row.error),
  cancelRequested: row.cancel_requested === 1,
  idempotencyKey: row.idempotency_key ?? undefined,
  runAfter: row.run_after,
  deadlineAt: row.deadline_at ?? undefined,
  leaseOwner: row.lease_owner ?? undefined,
  leaseExpiresAt: row.lease_expires_at ?? undefined,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startedAt: row.started_at ?? undefined,
  finishedAt: row.finished_at ?? undefined,
});

const changed = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) > 0;

/** Who is next among users with due jobs (see `JobBackend.claim`): fewest running, least recently served, oldest due job. */
const byFairShare = (a: ReadyUser, b: ReadyUser) => a.running - b.running || a.servedAt - b.servedAt || a.dueAt - b.dueAt || (a.userId < b.userId ? -1 : 1);

interface ReadyUser {
  userId: string;
  running: number;
  /** The user's latest claim, epoch ms; 0 when never served. */
  servedAt: number;
  /** The user's oldest due job's `run_after`. */
  dueAt: number;
}

/**
 * The embedded job queue: jobs and idempotency keys in the engine's SQL database (SQLite by default,
 * PostgreSQL too; `database` is what `createDatabase` answers). Claims, and submits under a queued
 * limit, run in exclusive transactions (`runExclusive`), safe with several workers and processes on
 * one database.
 *
 * @example
 * const queue = createSqlJobQueue(await createDatabase({ kind: 'sqlite', filename: './data/darkroom.db' }));
 */
export function createSqlJobQueue(database: Pick<Database, 'db' | 'dialect'>): JobQueue {
  const { db } = database;
  const get = async (id: string) => {
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  };

  const keys = createSqlIdempotencyStore(db);

  const reuse = async (existing: IdempotencyRecord, requestHash: string) => {
    const job = await get(idempotentJobId(existing, requestHash));
    if (!job) throw new DarkroomError({ code: 'conflict', message: 'The job of this Idempotency-Key no longer exists' });
    return { job, created: false };
  };

  return {
    name: 'sql',
    get,
    async submit(job, limits = {}) {
      const now = Date.now();
      const row: JobsTable = {
        id: job.id,
        user_id: job.userId,
        kind: job.kind,
        input: toJsonColumn(job.input),
        state: 'queued',
        attempt: 0,
        max_attempts: job.maxAttempts,
        stalls: 0,
        progress: 0,
        result: null,
        error: null,
        lease_owner: null,
        lease_expires_at: null,
        run_after: job.runAfter ?? now,
        deadline_at: job.deadlineAt ?? null,
        cancel_requested: 0,
        idempotency_key: job.idempotency?.key ?? null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
        claimed_at: null,
      };
      const idempotency = job.idempotency;
      if (idempotency) {
        const existing = await keys.find(job.userId, idempotency.key);
        if (existing) return reuse(existing, idempotency.requestHash);
      }
      const limit = limits.maxQueuedPerUser ?? Infinity;
      const write = async (trx: Kysely<DatabaseSchema>) => {
        if (limit !== Infinity) {
          const { queued } = await trx
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('queued'))
            .where('state', '=', 'queued')
            .where('user_id', '=', job.userId)
            .executeTakeFirstOrThrow();
          if (Number(queued) >= limit) throw queueFullError(limit);
        }
        if (idempotency) {
          const held = await createSqlIdempotencyStore(trx).reserve({ userId: job.userId, key: idempotency.key, requestHash: idempotency.requestHash, jobId: job.id });
          if (!held.created) return held;
        }
        await trx.insertInto('jobs').values(row).execute();
        return undefined;
      };
      // Counting and inserting must not interleave with another submit of the same user.
      const raced = limit !== Infinity ? await runExclusive(database, `jobs.user:${job.userId}`, write) : await db.transaction().execute(write);
      if (raced && idempotency) return reuse(raced, idempotency.requestHash);
      return { job: toJob(row), created: true };
    },
    async claim(owner, leaseMs, limits = {}) {
      const maxRunning = limits.maxRunningPerUser ?? Infinity;
      // One claim at a time per database: choosing by running counts is only sound if no other claim runs in between.
      const claimed = await runExclusive(database, 'jobs.claim', async (trx) => {
        const now = Date.now();
        const users = await trx
          .selectFrom('jobs as q')
          .select((eb) => [
            'q.user_id',
            eb.fn.min('q.run_after').as('due_at'),
            eb
              .selectFrom('jobs as r')
              .select(eb.fn.countAll().as('n'))
              .whereRef('r.user_id', '=', 'q.user_id')
              .where('r.state', '=', 'running')
              .as('running'),
            eb
              .selectFrom('jobs as s')
              .select('s.claimed_at')
              .whereRef('s.user_id', '=', 'q.user_id')
              .where('s.claimed_at', 'is not', null)
              .orderBy('s.claimed_at', 'desc')
              .limit(1)
              .as('served_at'),
          ])
          .where('q.state', '=', 'queued')
          .where('q.run_after', '<=', now)
          .groupBy('q.user_id')
          .execute();
        const ready = users.map((user): ReadyUser => ({
          userId: user.user_id,
          running: Number(user.running),
          servedAt: Number(user.served_at ?? 0),
          dueAt: Number(user.due_at),
        }));
        const next = ready.filter((user) => user.running < maxRunning).sort(byFairShare)[0];
        if (!next) return undefined;
        // Strictly after every earlier claim (any user's, running or not), even within one millisecond, so
        // "served least recently" never ties.
        const latest = await trx.selectFrom('jobs').select((eb) => eb.fn.max('claimed_at').as('latest')).executeTakeFirst();
        const servedAt = Math.max(now, Number(latest?.latest ?? 0) + 1);
        const candidate = await trx
          .selectFrom('jobs')
          .select('id')
          .where('state', '=', 'queued')
          .where('user_id', '=', next.userId)
          .where('run_after', '<=', now)
          .orderBy('run_after')
          .orderBy('id')
          .limit(1)
          .executeTakeFirstOrThrow();
        return trx
          .updateTable('jobs')
          .set({
            state: 'running',
            lease_owner: owner,
            lease_expires_at: now + leaseMs,
            attempt: sql<number>`attempt + 1`,
            started_at: sql<number>`coalesce(started_at, ${now})`,
            claimed_at: servedAt,
            updated_at: now,
          })
          .where('id', '=', candidate.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return claimed && toJob(claimed);
    },
    async renew(id, owner, leaseMs) {
      const now = Date.now();
      const result = await db
        .updateTable('jobs')
        .set({ lease_expires_at: now + leaseMs, updated_at: now })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('state', '=', 'running')
        .executeTakeFirst();
      if (!changed(result)) return { held: false, cancelRequested: false };
      const row = await db.selectFrom('jobs').select('cancel_requested').where('id', '=', id).executeTakeFirst();
      return { held: true, cancelRequested: row?.cancel_requested === 1 };
    },
    async finish(id, owner, outcome) {
      const now = Date.now();
      const result = await db
        .updateTable('jobs')
        .set({
          state: outcome.state,
          result: outcome.state === 'succeeded' ? toJsonColumn(outcome.result) : null,
          error: outcome.state === 'succeeded' ? null : toJsonColumn(outcome.error),
          progress: outcome.state === 'succeeded' ? 100 : sql<number>`progress`,
          lease_owner: null,
          lease_expires_at: null,
          finished_at: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return changed(result);
    },
    async release(id, owner, retry) {
      const now = Date.now();
      const result = await db
        .updateTable('jobs')
        .set({ state: 'queued', run_after: retry.runAfter, error: toJsonColumn(retry.error), lease_owner: null, lease_expires_at: null, updated_at: now })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return changed(result);
    },
    async requestCancel(id) {
      const now = Date.now();
      const error = toJsonColumn({ code: 'cancelled', message: 'The job was cancelled', retryable: false });
      await db
        .updateTable('jobs')
        .set({ state: 'cancelled', error, finished_at: now, updated_at: now, cancel_requested: 1 })
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .execute();
      await db.updateTable('jobs').set({ cancel_requested: 1, updated_at: now }).where('id', '=', id).where('state', '=', 'running').execute();
      return get(id);
    },
    async setProgress(id, owner, progress) {
      await db
        .updateTable('jobs')
        .set({ progress: Math.max(0, Math.min(100, progress)), updated_at: Date.now() })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .execute();
    },
    async sweep({ maxStalls }) {
      const now = Date.now();
      const expired = await db
        .selectFrom('jobs')
        .select(['id', 'stalls', 'lease_owner'])
        .where('state', '=', 'running')
        .where('lease_expires_at', '<', now)
        .execute();
      const requeued: string[] = [];
      const failed: string[] = [];
      for (const job of expired) {
        const stalls = job.stalls + 1;
        const giveUp = stalls > maxStalls;
        const error: SerializedError = giveUp
          ? { code: 'internal', message: `The job stalled ${stalls} times (its worker stopped while running it); giving up`, retryable: false }
          : { code: 'internal', message: 'The worker running this job stopped; the job was requeued', retryable: true };
        const result = await db
          .updateTable('jobs')
          .set({
            state: giveUp ? 'failed' : 'queued',
            stalls,
            error: toJsonColumn(error),
            lease_owner: null,
            lease_expires_at: null,
            run_after: now,
            updated_at: now,
            finished_at: giveUp ? now : null,
          })
          .where('id', '=', job.id)
          .where('state', '=', 'running')
          .where('lease_expires_at', '<', now)
          .executeTakeFirst();
        if (changed(result)) (giveUp ? failed : requeued).push(job.id);
      }
      return { requeued, failed };
    },
    async nextDueAt() {
      const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.min('run_after').as('next'))
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
    },
    async list(userId, query) {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), maxJobPage);
      let select = db.selectFrom('jobs').selectAll().where('user_id', '=', userId);
      if (query.state) select = select.where('state', '=', query.state);
      if (query.kind) select = select.where('kind', '=', query.kind);
      if (query.cursor) select = select.where('id', '<', query.cursor);
      const rows = await select.orderBy('id', 'desc').limit(limit + 1).execute();
      const jobs = rows.slice(0, limit).map(toJob);
      return { jobs, nextCursor: rows.length > limit ? jobs[jobs.length - 1]!.id : null };
    },
    async countByState() {
      const rows = await db.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll().as('count')]).groupBy('state').execute();
      return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
    },
    ready: () => probeDatabase(db, 'job queue'),
    close: async () => undefined,
  };
}

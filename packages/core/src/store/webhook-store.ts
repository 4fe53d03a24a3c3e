import type { Kysely } from 'kysely';
import type { DatabaseSchema, JobWebhooksTable } from './database-schema.js';

export type JobWebhook = JobWebhooksTable;

const changed = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) > 0;

/**
 * The webhook outbox: one row per job that asked to be told when it ends. A row waits until its job
 * ends (`ready`), then a sender claims it (optimistically, by its attempt count, so two servers never
 * send the same attempt) and records delivery, a retry time, or giving up. Independent of the job
 * backend: whether a job ended is asked of the job service.
 */
export function createWebhookStore(db: Kysely<DatabaseSchema>) {
  return {
    /** Registers a job's webhook; a repeat keeps the first URL. */
    async register(row: { jobId: string; userId: string; url: string }): Promise<void> {
      await db
        .insertInto('job_webhooks')
        .values({ job_id: row.jobId, user_id: row.userId, url: row.url, attempts: 0, next_attempt_at: null, delivered_at: null, gave_up_at: null, last_error: null, created_at: Date.now() })
        .onConflict((conflict) => conflict.column('job_id').doNothing())
        .execute();
    },
    /** Webhooks still waiting for their job to end (`next_attempt_at` is null until then). */
    async waiting(limit: number): Promise<JobWebhook[]> {
      return db.selectFrom('job_webhooks').selectAll().where('next_attempt_at', 'is', null).where('delivered_at', 'is', null).where('gave_up_at', 'is', null).orderBy('created_at').limit(limit).execute();
    },
    /** The job ended: its webhook becomes due now (once; later calls change nothing). */
    async ready(jobId: string, now: number): Promise<void> {
      await db.updateTable('job_webhooks').set({ next_attempt_at: now }).where('job_id', '=', jobId).where('next_attempt_at', 'is', null).where('delivered_at', 'is', null).execute();
    },
    /** Undelivered webhooks whose next attempt is due. */
    async due(now: number, limit: number): Promise<JobWebhook[]> {
      return db
        .selectFrom('job_webhooks')
        .selectAll()
        .where('delivered_at', 'is', null)
        .where('gave_up_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
    },
    /** Takes attempt `attempts + 1`; until `leaseUntil` nobody else takes it. False when someone else did. */
    async claim(jobId: string, attempts: number, leaseUntil: number): Promise<boolean> {
      return changed(
        await db
          .updateTable('job_webhooks')
          .set({ attempts: attempts + 1, next_attempt_at: leaseUntil })
          .where('job_id', '=', jobId)
          .where('attempts', '=', attempts)
          .where('delivered_at', 'is', null)
          .executeTakeFirst(),
      );
    },
    async delivered(jobId: string, now: number): Promise<void> {
      await db.updateTable('job_webhooks').set({ delivered_at: now, next_attempt_at: null, last_error: null }).where('job_id', '=', jobId).execute();
    },
    /** Records a failed attempt: retry at `nextAttemptAt`, or give up when it is null. */
    async failed(jobId: string, error: string, nextAttemptAt: number | null, now: number): Promise<void> {
      await db
        .updateTable('job_webhooks')
        .set({ last_error: error.slice(0, 500), next_attempt_at: nextAttemptAt, ...(nextAttemptAt === null ? { gave_up_at: now } : {}) })
        .where('job_id', '=', jobId)
        .execute();
    },
    async get(jobId: string): Promise<JobWebhook | undefined> {
      return db.selectFrom('job_webhooks').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;

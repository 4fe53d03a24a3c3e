import type { Kysely } from 'kysely';
import type { DatabaseSchema, JobWebhooksTable } from './database-schema.js';
import { probeDatabase } from './probe-database.js';
import type { JobWebhook, WebhookOutbox } from './webhook-outbox.js';

const toWebhook = (row: JobWebhooksTable): JobWebhook => ({
  jobId: row.job_id,
  userId: row.user_id,
  url: row.url,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
  deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  gaveUpAt: row.gave_up_at === null ? null : Number(row.gave_up_at),
  lastError: row.last_error,
  createdAt: Number(row.created_at),
});

const changed = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) > 0;

/**
 * The webhook outbox on the engine's SQL database (SQLite or PostgreSQL through kysely), in the
 * `job_webhooks` table. The database is given, so `close()` leaves it open.
 *
 * @example
 * const outbox = createSqlWebhookOutbox(await createDatabase({ kind: 'memory' }));
 * await outbox.register({ jobId, userId: 'u1', url: 'https://example.com/hook' });
 */
export function createSqlWebhookOutbox(database: { db: Kysely<DatabaseSchema> }): WebhookOutbox {
  const { db } = database;
  const pending = () => db.selectFrom('job_webhooks').selectAll().where('delivered_at', 'is', null).where('gave_up_at', 'is', null);
  return {
    name: 'sql',
    ready: () => probeDatabase(db, 'webhook outbox'),

    async register(webhook) {
      await db
        .insertInto('job_webhooks')
        .values({ job_id: webhook.jobId, user_id: webhook.userId, url: webhook.url, attempts: 0, next_attempt_at: null, delivered_at: null, gave_up_at: null, last_error: null, created_at: Date.now() })
        .onConflict((conflict) => conflict.column('job_id').doNothing())
        .execute();
    },

    async waiting(limit) {
      return (await pending().where('next_attempt_at', 'is', null).orderBy('created_at').limit(limit).execute()).map(toWebhook);
    },

    async jobEnded(jobId, now) {
      await db.updateTable('job_webhooks').set({ next_attempt_at: now }).where('job_id', '=', jobId).where('next_attempt_at', 'is', null).where('delivered_at', 'is', null).where('gave_up_at', 'is', null).execute();
    },

    async due(now, limit) {
      return (await pending().where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute()).map(toWebhook);
    },

    async claim(jobId, attempts, leaseUntil) {
      return changed(
        await db
          .updateTable('job_webhooks')
          .set({ attempts: attempts + 1, next_attempt_at: leaseUntil })
          .where('job_id', '=', jobId)
          .where('attempts', '=', attempts)
          .where('delivered_at', 'is', null)
          .where('gave_up_at', 'is', null)
          .executeTakeFirst(),
      );
    },

    async delivered(jobId, now) {
      await db.updateTable('job_webhooks').set({ delivered_at: now, next_attempt_at: null, last_error: null }).where('job_id', '=', jobId).execute();
    },

    async failed(jobId, error, nextAttemptAt, now) {
      await db
        .updateTable('job_webhooks')
        .set({ last_error: error.slice(0, 500), next_attempt_at: nextAttemptAt, ...(nextAttemptAt === null ? { gave_up_at: now } : {}) })
        .where('job_id', '=', jobId)
        .execute();
    },

    async get(jobId) {
      const row = await db.selectFrom('job_webhooks').selectAll().where('job_id', '=', jobId).executeTakeFirst();
      return row && toWebhook(row);
    },

    async close() {},
  };
}

import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, IdempotencyKeysTable } from './database-schema.js';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';
import { probeDatabase } from './probe-database.js';

const toRecord = (row: Selectable<IdempotencyKeysTable>): IdempotencyRecord => ({
  userId: row.user_id,
  key: row.key,
  requestHash: row.request_hash,
  jobId: row.job_id,
  createdAt: Number(row.created_at),
});

/**
 * Idempotency keys in the `idempotency_keys` table (unique per user and key). `db` may be a
 * transaction: the SQL job queue reserves the key in the transaction that inserts the job.
 *
 * @example
 * const keys = createSqlIdempotencyStore(database.db);
 * const { jobId, created } = await keys.reserve({ userId, key, requestHash, jobId: newId });
 */
export function createSqlIdempotencyStore(db: Kysely<DatabaseSchema>): IdempotencyStore {
  const find = async (userId: string, key: string) => {
    const row = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
    return row && toRecord(row);
  };
  return {
    name: 'sql',
    find,
    async reserve(record) {
      const createdAt = Date.now();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ user_id: record.userId, key: record.key, request_hash: record.requestHash, job_id: record.jobId, created_at: createdAt })
        .onConflict((conflict) => conflict.columns(['user_id', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { ...record, createdAt, created: true };
      const held = await find(record.userId, record.key);
      if (!held) throw new Error(`Idempotency key ${record.key} was neither inserted nor found`);
      return { ...held, created: false };
    },
    ready: () => probeDatabase(db, 'idempotency keys'),
    close: async () => undefined,
  };
}

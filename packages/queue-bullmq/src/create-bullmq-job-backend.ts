import { createSqlCheckpointStore, createSqlIdempotencyStore, type Database, type JobBackend } from '@darkroom/core';
import { createBullmqJobQueue, type BullmqJobQueueOptions } from './create-bullmq-job-queue.js';

export interface BullmqJobBackendOptions extends Omit<BullmqJobQueueOptions, 'idempotency'> {
  /**
   * The SQL database every API process and worker shares (PostgreSQL across machines:
   * `createDatabase({ kind: 'postgres', connectionString })`): step checkpoints and idempotency keys
   * live there. The caller opened it and closes it.
   */
  database: Pick<Database, 'db'>;
}

/**
 * The distributed job backend: jobs queue and run on BullMQ (Redis, see `createBullmqJobQueue`),
 * step checkpoints and idempotency keys are in the shared SQL database, so that a worker on any
 * machine resumes a job where another stopped and a replayed submit finds its job from any API
 * process. `queue.close()` closes the Redis connections; the database stays the caller's.
 *
 * @example
 * const database = await createDatabase({ kind: 'postgres', connectionString: process.env.DARKROOM_DATABASE_URL! });
 * const backend = createBullmqJobBackend({ connection: process.env.DARKROOM_REDIS_URL!, database });
 * await backend.queue.ready();
 */
export function createBullmqJobBackend(options: BullmqJobBackendOptions): JobBackend {
  const { database, ...queueOptions } = options;
  return {
    name: 'bullmq',
    queue: createBullmqJobQueue({ ...queueOptions, idempotency: createSqlIdempotencyStore(database.db) }),
    checkpoints: createSqlCheckpointStore(database),
  };
}

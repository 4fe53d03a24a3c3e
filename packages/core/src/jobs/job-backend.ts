import type { CheckpointStore } from './checkpoint-store.js';
import type { JobQueue } from './job-queue.js';

/**
 * Where jobs live and run: a queue with leases (`JobQueue`) and the step checkpoints of its jobs
 * (`CheckpointStore`), kept apart so that a queue engine can hold the first while a shared SQL
 * database holds the second. The embedded backend (`createSqlJobBackend`) keeps both in the engine's
 * SQL database; the distributed one (`@darkroom/queue-bullmq`) queues on Redis and checkpoints in
 * PostgreSQL. Every backend must pass `describeJobBackendContract` from `@darkroom/core/testing`.
 */
export interface JobBackend {
  /** Names the backend in logs and readiness reports. */
  readonly name: string;
  readonly queue: JobQueue;
  readonly checkpoints: CheckpointStore;
}

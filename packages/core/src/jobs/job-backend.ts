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
  /**
   * True when the queue's and the checkpoints' writes join the caller's unit of work (both in the
   * SQL database the engine's stores use): the runner then claims a job in the transaction that
   * queues it and records a step's end with its job's end. Default false (e.g. BullMQ on Redis).
   */
  readonly transactional?: boolean;
}

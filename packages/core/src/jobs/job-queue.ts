import type { SerializedError } from '@darkroom/plugin-api';
import type { JobListQuery, JobOutcome, JobPage, JobRecord, JobState, NewJob, QueueLimits } from './job-types.js';

/**
 * Where jobs wait and how workers take turns on them: the queue-and-leases half of a `JobBackend`
 * (step checkpoints are the other half, `CheckpointStore`). The embedded queue keeps jobs in SQL;
 * a distributed one puts them in a queue engine (BullMQ on Redis). Every implementation must pass
 * `describeJobBackendContract` from `@darkroom/core/testing`.
 *
 * A claim makes a worker (`owner`) the job's holder under a lease and counts the attempt: `attempt`
 * only ever grows, so it doubles as the fencing token for checkpoint writes. Writes a worker makes
 * on a running job name the worker: one that lost its lease cannot overwrite what the new holder does.
 *
 * Users share the workers fairly: a user with nothing running goes before users with jobs
 * running, so one user's backlog delays another user's first job by at most one claim (see
 * `claim`); per-user limits (`QueueLimits`) hold across every worker and process on the queue,
 * however many claim or submit at once.
 */
export interface JobQueue {
  /** Names the engine in logs and readiness reports (`sql`, `bullmq`). */
  readonly name: string;
  /**
   * Stores a new job. With an idempotency key already used by the same user: the same request hash
   * returns the first job (`created: false`); a different hash is an `idempotency_mismatch` error.
   * When the user already has `limits.maxQueuedPerUser` jobs in state `queued` (waiting to start,
   * or waiting for a retry), a new job is refused with `queueFullError` (`rate_limited`, 429,
   * `details.retry_after_seconds`); a replayed idempotency key still answers its job.
   */
  submit(job: NewJob, limits?: Pick<QueueLimits, 'maxQueuedPerUser'>): Promise<{ job: JobRecord; created: boolean }>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * One user's jobs, newest first (by id: job ids sort by creation time), filtered by `state` and
   * `kind`, `limit` (1..maxJobPage, default 20) at a time; a page starts after the job named by
   * `cursor` (the previous page's `nextCursor`, which the caller checks is one of the user's jobs).
   * Jobs whose records the queue no longer keeps (retention) are not listed.
   */
  list(userId: string, query: JobListQuery): Promise<JobPage>;
  /**
   * Takes a due queued job, marks it running under `owner` with a lease, counts the attempt.
   * Which job: among users with a due job and fewer than `limits.maxRunningPerUser` running jobs,
   * the user with the fewest running jobs, then the one served least recently (whose latest claim
   * is oldest; never served first), then the one whose oldest due job is oldest; that user's
   * oldest due job. Answers `undefined` when nothing is due or every user with due jobs is at
   * the limit. Concurrent claims never exceed the limit and never hand out one job twice.
   */
  claim(owner: string, leaseMs: number, limits?: Pick<QueueLimits, 'maxRunningPerUser'>): Promise<JobRecord | undefined>;
  /** Extends the lease; `held: false` means another worker owns the job now. */
  renew(id: string, owner: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }>;
  /** Ends a running job. False when `owner` no longer holds it. */
  finish(id: string, owner: string, outcome: JobOutcome): Promise<boolean>;
  /** Hands a running job back to the queue to be retried at `runAfter` (epoch ms). False when `owner` no longer holds it. */
  release(id: string, owner: string, retry: { runAfter: number; error: SerializedError }): Promise<boolean>;
  /** Cancels a queued job at once; flags a running one so its worker aborts. Answers the job after the change. */
  requestCancel(id: string): Promise<JobRecord | undefined>;
  /** Stores the job's percent (0..100, clamped) when `owner` holds it; does nothing otherwise. */
  setProgress(id: string, owner: string, progress: number): Promise<void>;
  /**
   * Requeues running jobs whose lease expired (their worker died); a job that stalled more than
   * `maxStalls` times fails instead. Runs at start-up and periodically.
   */
  sweep(options: { maxStalls: number }): Promise<{ requeued: string[]; failed: string[] }>;
  /** When the next queued job becomes due (epoch ms), for a poller to sleep until then. */
  nextDueAt(): Promise<number | undefined>;
  /** How many jobs are in each state (for metrics). */
  countByState(): Promise<Partial<Record<JobState, number>>>;
  /**
   * Signals from other processes, so that workers need not poll: `due` when a job may be claimable
   * now (submitted, released, requeued), `cancelRequested` when a running job was asked to stop (a
   * worker aborts it within a second instead of at its next lease renewal). Optional: a queue
   * without it is polled. Answers the function that unsubscribes.
   */
  watch?(handlers: { due?: () => void; cancelRequested?: (jobId: string) => void }): () => void;
  /** Resolves when the queue answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;
  /** Releases connections the queue opened itself. */
  close(): Promise<void>;
}

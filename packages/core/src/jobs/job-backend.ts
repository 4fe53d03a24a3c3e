import type { SerializedError } from '../errors/darkroom-error.js';
import type { JobOutcome, JobRecord, JobState, NewJob, QueueLimits, StepRecord } from './job-types.js';

/**
 * Where jobs and their step checkpoints live and how workers take turns on them.
 * The embedded backend keeps them in SQL (SQLite by default); a distributed backend may put
 * queueing and leases elsewhere. Every implementation must pass `describeJobBackendContract`.
 *
 * Writes that a worker makes on a running job name the worker (`owner`): a worker that lost its
 * lease cannot overwrite what the new owner does.
 *
 * Users share the workers fairly: a user with nothing running goes before users with jobs
 * running, so one user's backlog delays another user's first job by at most one claim (see
 * `claim`); per-user limits (`QueueLimits`) hold across every worker and process on the backend,
 * however many claim or submit at once.
 */
export interface JobBackend {
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
  /** Hands a running job back to the queue to be retried at `runAfter`. */
  release(id: string, owner: string, retry: { runAfter: number; error: SerializedError }): Promise<boolean>;
  /** Cancels a queued job at once; flags a running one so its worker aborts. Answers the job after the change. */
  requestCancel(id: string): Promise<JobRecord | undefined>;
  setProgress(id: string, owner: string, progress: number): Promise<void>;
  /**
   * Requeues running jobs whose lease expired (their worker died); a job that stalled more than
   * `maxStalls` times fails instead. Runs at start-up and periodically.
   */
  sweep(options: { maxStalls: number }): Promise<{ requeued: string[]; failed: string[] }>;
  /** When the next queued job becomes due, for a poller to sleep until then. */
  nextDueAt(): Promise<number | undefined>;
  /** How many jobs are in each state (for metrics and readiness); doubles as a reachability probe. */
  countByState(): Promise<Partial<Record<JobState, number>>>;

  steps(jobId: string): Promise<StepRecord[]>;
  /** Marks a step running and counts its attempt. */
  startStep(jobId: string, key: string): Promise<StepRecord>;
  finishStep(jobId: string, key: string, outcome: { output: unknown } | { error: SerializedError }): Promise<void>;
  /** Saves what a running step must remember if it is re-run (replaces its state). */
  saveStepState(jobId: string, key: string, state: Record<string, unknown>): Promise<void>;
}

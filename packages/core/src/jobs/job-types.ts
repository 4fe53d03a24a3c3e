import type { SerializedError } from '@darkroom/plugin-api';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const terminalJobStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** A job as the backend stores it. Times are epoch milliseconds. */
export interface JobRecord {
  id: string;
  userId: string;
  kind: string;
  input: unknown;
  state: JobState;
  /** Number of times a worker has claimed the job. */
  attempt: number;
  maxAttempts: number;
  /** Number of times the job's lease expired under a worker that stopped renewing it. */
  stalls: number;
  /** How far the job is, in percent, 0..100 (not a fraction); never decreases; 100 once it succeeded. */
  progress: number;
  result?: unknown;
  error?: SerializedError;
  cancelRequested: boolean;
  idempotencyKey?: string;
  runAfter: number;
  deadlineAt?: number;
  leaseOwner?: string;
  leaseExpiresAt?: number;
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export type StepStatus = 'running' | 'succeeded' | 'failed';

/** One checkpointed step of a job. A succeeded step's output is reused, never recomputed. */
export interface StepRecord {
  jobId: string;
  key: string;
  status: StepStatus;
  attempt: number;
  startedAt: number;
  finishedAt?: number;
  output?: unknown;
  error?: SerializedError;
  /** What the step saved while running, e.g. `{ "call-0:runware:taskUUID": "…" }`. */
  state: Record<string, unknown>;
}

export interface NewJob {
  id: string;
  userId: string;
  kind: string;
  input: unknown;
  maxAttempts: number;
  deadlineAt?: number;
  runAfter?: number;
  idempotency?: { key: string; requestHash: string };
}

export type JobOutcome =
  | { state: 'succeeded'; result: unknown }
  | { state: 'failed'; error: SerializedError }
  | { state: 'cancelled'; error: SerializedError };

/**
 * Each user's share of the job queue, in jobs; `Infinity` (or leaving one out) means no limit.
 * `maxQueuedPerUser` bounds jobs waiting to start (submits beyond it are refused with 429);
 * `maxRunningPerUser` bounds jobs running at once, across all workers (claims skip a user at it).
 */
export interface QueueLimits {
  maxQueuedPerUser?: number;
  maxRunningPerUser?: number;
}

/** Which of a user's jobs `JobQueue.list` answers: a page after `cursor` (a job id), newest first. */
export interface JobListQuery {
  /** Jobs per page, 1..100; default 20. */
  limit?: number;
  /** The `nextCursor` of the previous page: the page starts after this job. */
  cursor?: string;
  state?: JobState;
  kind?: string;
}

/** A page of a user's jobs, newest first; `nextCursor` is null on the last page. */
export interface JobPage {
  jobs: JobRecord[];
  nextCursor: string | null;
}

/** The most jobs one page of `JobQueue.list` holds. */
export const maxJobPage = 100;

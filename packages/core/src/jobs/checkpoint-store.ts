import type { SerializedError } from '@darkroom/plugin-api';
import type { StepRecord } from './job-types.js';

/** Who writes: the worker holding the job and the claim it holds it under (`JobRecord.attempt`). */
export interface StepLease {
  owner: string;
  /** The job's claim count when this worker claimed it: it only grows, so a newer claim outranks an older one. */
  attempt: number;
}

/**
 * Step checkpoints of jobs: the half of a `JobBackend` that must outlive any one worker and be shared
 * by all of them (in SQL, also when the queue is elsewhere). A succeeded step's output is reused,
 * never recomputed.
 *
 * Writes are fenced: `fence` hands a job's checkpoints to a claim, and a write under an older claim
 * (or under another owner of the same claim) is refused with `leaseLostError` (`conflict`, 409): a
 * worker that lost its lease cannot overwrite what the new holder does. Reads are not fenced.
 */
export interface CheckpointStore {
  readonly name: string;
  /** Hands the job's checkpoints to `lease` unless a newer claim already holds them (then `leaseLostError`). */
  fence(jobId: string, lease: StepLease): Promise<void>;
  /** The job's steps in the order the job first reached them. */
  steps(jobId: string): Promise<StepRecord[]>;
  /** Marks a step running and counts its attempt; keeps what the step saved before (`state`). */
  startStep(jobId: string, key: string, lease: StepLease): Promise<StepRecord>;
  finishStep(jobId: string, key: string, lease: StepLease, outcome: { output: unknown } | { error: SerializedError }): Promise<void>;
  /**
   * Writes a step that ran and ended whose start was not written: its attempt counted as `startStep`
   * would (one more than any earlier), `startedAt` (epoch ms), its end and outcome, in one write; what
   * an earlier attempt saved (`state`) is kept.
   */
  recordStep(jobId: string, key: string, lease: StepLease, step: { startedAt: number; outcome: { output: unknown } | { error: SerializedError } }): Promise<void>;
  /** Saves what a running step must remember if it is re-run (replaces its state). */
  saveStepState(jobId: string, key: string, lease: StepLease, state: Record<string, unknown>): Promise<void>;
  /** Resolves when the store answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

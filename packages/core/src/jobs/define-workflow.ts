import type { DarkroomError, StepCheckpoint } from '@darkroom/plugin-api';
import type { JobRecord } from './job-types.js';


export interface StepContext {
  readonly signal: AbortSignal;
  /** 1 on the first run of this step, 2 on its first re-run, and so on. */
  readonly attempt: number;
  readonly checkpoint: StepCheckpoint;
}

export interface StepOptions {
  /** Deadline of this step; the step's signal aborts when it passes. */
  timeoutMs?: number;
}

export interface WorkflowContext<Input> {
  readonly job: JobRecord;
  readonly input: Input;
  readonly signal: AbortSignal;
  /**
   * Runs a checkpointed step. If a step with this key already succeeded in an earlier run of the
   * job, its stored output is returned and `run` is not called. Outputs must be JSON: references,
   * never image bytes.
   */
  step<Output>(key: string, run: (context: StepContext) => Promise<Output>, options?: StepOptions): Promise<Output>;
  /**
   * Reports the job's progress as a percent, 0..100 (not a 0..1 fraction), stored as
   * `JobRecord.progress` and published as a `job.progress` event. Values are clamped to 0..100;
   * NaN and non-finite values are ignored, and so is a value not above the job's current percent
   * (progress never goes backwards, not even when the job runs again). Writes land in the order
   * reported, and before the end of the step (and of the job) that reported them, even when not
   * awaited; the job reaches 100 when it succeeds, without a call.
   */
  progress(percent: number): Promise<void>;
}

export interface Workflow<Input = unknown, Result = unknown> {
  kind: string;
  run(context: WorkflowContext<Input>): Promise<Result>;
  /**
   * Called when the job ends failed or cancelled, before that is recorded, to record the outcome
   * elsewhere (e.g. a chat reply). It may run more than once, so it must be idempotent.
   */
  onFailure?(context: { job: JobRecord; input: Input; error: DarkroomError }): Promise<void>;
}

/** Typed identity helper for workflows. */
export function defineWorkflow<Input, Result>(workflow: Workflow<Input, Result>): Workflow<Input, Result> {
  return workflow;
}

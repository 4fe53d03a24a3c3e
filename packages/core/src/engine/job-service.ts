import { DarkroomError, errors } from '@darkroom/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import type { JobBackend } from '../jobs/job-backend.js';
import { terminalJobStates, type JobListQuery, type JobPage, type JobRecord, type QueueLimits, type StepRecord } from '../jobs/job-types.js';
import type { WorkflowRunner } from '../jobs/workflow-runner.js';
import { createId } from '../store/create-id.js';
import { afterUnitOfWork, runInUnitOfWork } from '../store/unit-of-work.js';
import { HeardProgress } from './heard-progress.js';
import { stableHash } from './stable-hash.js';

/**
 * A job as its owner may see it: the backend's record (times in epoch ms) and its checkpointed steps
 * in the order the job reached them. The HTTP server writes the wire format from it.
 */
export interface Job extends JobRecord {
  steps: StepRecord[];
}

export interface SubmitOptions {
  userId: string;
  kind: string;
  input: unknown;
  /** What makes two requests "the same" for the idempotency key; defaults to the input. */
  request?: unknown;
  idempotencyKey?: string;
  maxAttempts: number;
  timeoutMs: number;
  id?: string;
}

/** Submitting, reading, waiting for and cancelling jobs, always scoped to their user. */
export class JobService {
  private readonly heard: HeardProgress;

  constructor(
    private readonly backend: JobBackend,
    private readonly runner: WorkflowRunner,
    private readonly events: EventBus,
    private readonly limits: Pick<QueueLimits, 'maxQueuedPerUser'> = { maxQueuedPerUser: Infinity },
  ) {
    this.heard = new HeardProgress(events);
  }

  /**
   * Queues a job; beyond the user's queued limit it is refused with `rate_limited` (429, see
   * `queueFullError`). In one unit of work (the caller's, when it runs in one: a chat turn's messages
   * commit with its job) with this process's claim of a due job when its runner has a free slot.
   */
  submit(options: SubmitOptions): Promise<{ job: JobRecord; created: boolean }> {
    return runInUnitOfWork(() => this.submitInUnit(options));
  }

  private async submitInUnit(options: SubmitOptions): Promise<{ job: JobRecord; created: boolean }> {
    const outcome = await this.backend.queue.submit({
      id: options.id ?? createId('job'),
      userId: options.userId,
      kind: options.kind,
      input: options.input,
      maxAttempts: options.maxAttempts,
      deadlineAt: Date.now() + options.timeoutMs,
      ...(options.idempotencyKey ? { idempotency: { key: options.idempotencyKey, requestHash: stableHash({ kind: options.kind, request: options.request ?? options.input }) } } : {}),
    }, this.limits);
    if (outcome.created) {
      afterUnitOfWork((committed) => {
        if (committed) this.events.emit({ type: 'job.queued', jobId: outcome.job.id, userId: options.userId, kind: options.kind });
      });
      // Claimed here, or the worker loop is told a job is due.
      if (!(await this.runner.claimWithinUnit()).claimed) afterUnitOfWork((committed) => committed && this.runner.wake());
    }
    return outcome;
  }

  /** The job's record; a running job's percent is the latest heard, which may be newer than the stored one. */
  async record(userId: string, id: string): Promise<JobRecord> {
    const job = await this.backend.queue.get(id);
    if (!job || job.userId !== userId) throw errors.notFound('Job', id);
    return job.state === 'running' ? { ...job, progress: this.heard.of(id, job.progress) } : job;
  }

  async get(userId: string, id: string): Promise<Job> {
    const job = await this.record(userId, id);
    return { ...job, steps: await this.backend.checkpoints.steps(id) };
  }

  /**
   * One user's jobs, newest first, a page at a time (see `JobQueue.list`); a running job's percent is
   * the latest heard.
   * @throws DarkroomError `invalid_input` (400) for a `cursor` that is not one of the user's jobs (a
   *   typo must not look like the end of the list).
   */
  async list(userId: string, query: JobListQuery = {}): Promise<JobPage> {
    const queue = this.backend.queue;
    if (query.cursor) {
      const at = await queue.get(query.cursor);
      if (!at || at.userId !== userId) throw errors.invalidInput(`cursor ${JSON.stringify(query.cursor.slice(0, 100))} is not a next_cursor of your job list: start again without it`);
    }
    const page = await queue.list(userId, query);
    return { jobs: page.jobs.map((job) => (job.state === 'running' ? { ...job, progress: this.heard.of(job.id, job.progress) } : job)), nextCursor: page.nextCursor };
  }

  /** Jobs per state, over every user (for metrics and readiness). */
  counts() {
    return this.backend.queue.countByState();
  }

  /**
   * Cancels a queued job at once, or aborts a running one through its AbortSignal; a job running in
   * this process is answered in its final state (waited for up to 1 s), one running elsewhere as
   * `running` until its worker hears of it: within a second on a queue that signals across processes
   * (`JobQueue.watch`, BullMQ), at the worker's next lease renewal otherwise.
   */
  async cancel(userId: string, id: string): Promise<Job> {
    const before = await this.record(userId, id);
    const job = await this.backend.queue.requestCancel(id);
    if (before.state === 'queued' && job?.state === 'cancelled') {
      // It never ran (or waits for a retry): nobody else will tell its workflow.
      await this.runner.notifyFailure(job, errors.cancelled());
      this.events.emit({ type: 'job.cancelled', jobId: id, userId });
    }
    // A job running here ends within milliseconds of its abort: answer its final state, not "running".
    if (this.runner.abortLocal(id)) await this.wait(userId, id, { timeoutMs: 1_000 }).catch(() => undefined);
    return this.get(userId, id);
  }

  /**
   * Resolves when the job is terminal (from events, with a slow poll for jobs run by other processes).
   * `signal` only stops the waiting (rejecting with `cancelled`), at once when it is already aborted.
   */
  async wait(userId: string, id: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<JobRecord> {
    const stopped = () => errors.cancelled('Stopped waiting for the job (the signal was aborted); the job goes on');
    if (options.signal?.aborted) throw stopped();
    await this.record(userId, id);
    return new Promise<JobRecord>((resolve, reject) => {
      let settled = false;
      const finish = (error: unknown, job?: JobRecord) => {
        if (settled) return;
        settled = true;
        off();
        clearInterval(poll);
        clearTimeout(timeout);
        options.signal?.removeEventListener('abort', onAbort);
        if (job) resolve(job);
        else reject(error);
      };
      const check = async () => {
        try {
          const job = await this.backend.queue.get(id);
          if (job && terminalJobStates.includes(job.state)) finish(undefined, job);
        } catch (error) {
          finish(error);
        }
      };
      const off = this.events.on((event) => {
        if ('jobId' in event && event.jobId === id && /^job\.(succeeded|failed|cancelled)$/.test(event.type)) void check();
      });
      const poll = setInterval(() => void check(), 500);
      const timeout = setTimeout(() => finish(new DarkroomError({ code: 'timeout', message: `Timed out waiting for job ${id}; it goes on running: look it up by its id (engine.jobs.get; GET /v1/jobs/${id} over HTTP)`, retryable: true, details: { job_id: id } })), options.timeoutMs ?? 600_000);
      const onAbort = () => finish(stopped());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // Aborted while the job was looked up: the listener above will never hear of it.
      if (options.signal?.aborted) return onAbort();
      void check();
    });
  }

  /** The result of a finished job, or its failure as the error it was. */
  static outcome(job: JobRecord): unknown {
    if (job.state === 'succeeded') return job.result;
    const error = job.error ?? { code: 'internal', message: 'The job failed', retryable: false };
    // The job's id goes with its error: what the request stored (its input images, the failed job) can be found.
    throw new DarkroomError({ code: error.code, message: error.message, details: { ...error.details, job_id: job.id } });
  }
}

import { randomUUID } from 'node:crypto';
import { DarkroomError, toDarkroomError, errors, type SerializedError } from '@darkroom/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import { backoffDelay, type BackoffOptions } from './backoff-delay.js';
import type { Workflow, WorkflowContext } from './define-workflow.js';
import type { CheckpointStore, StepLease } from './checkpoint-store.js';
import type { JobBackend } from './job-backend.js';
import type { JobQueue } from './job-queue.js';
import { isLeaseLost } from './lease-lost-error.js';
import { createProgressReporter, type ProgressReporter } from './create-progress-reporter.js';
import type { JobRecord, StepRecord } from './job-types.js';
import { afterUnitOfWork, createUnitOfWork, outsideUnitOfWork, runInUnitOfWork, type UnitOfWork } from '../store/unit-of-work.js';

export interface RunnerOptions {
  /** Jobs run at once by this runner. */
  concurrency: number;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs: number;
  /** How often to look for due jobs when not woken. */
  pollMs: number;
  /** How often to requeue jobs of dead workers (also once at start). */
  sweepMs: number;
  /** Lease expiries a job survives before it fails. */
  maxStalls: number;
  backoff: BackoffOptions;
  /**
   * Jobs of one user running at once, counted across every worker on the backend (claims skip a
   * user at the limit). Default: `concurrency - 1` (at least 1), so that a lone user keeps most of
   * this runner and another user's first job still finds a free slot. With several worker
   * processes, set it for their combined concurrency. `Infinity` turns it off.
   */
  maxRunningPerUser?: number;
  /**
   * How often, at most, a running job's percent is written to the job backend (ms). Every report is
   * published as a `job.progress` event at once; the stored value (what `GET /v1/jobs/:id` answers
   * from another process) lags by up to this long, and a job that ends sooner writes none (its end
   * writes 100). Default 1000: progress costs no durable commit on short jobs.
   */
  progressWriteMs?: number;
}

export const defaultRunnerOptions: RunnerOptions = {
  concurrency: 4,
  leaseMs: 30_000,
  pollMs: 1_000,
  sweepMs: 10_000,
  maxStalls: 3,
  backoff: { baseMs: 1_000, maxMs: 60_000 },
};

/**
 * How long a step's unit of work (what it stored, and its end) is held open for the job's next write
 * (its end, most often) to join it, ms. SQLite's other writers wait meanwhile.
 */
const heldUnitMs = 20;

class AbortReason extends Error {
  constructor(readonly kind: 'cancelled' | 'lease-lost' | 'deadline' | 'shutdown') {
    super(kind);
    this.name = 'AbortError';
  }
}

/**
 * Runs jobs from a backend: claims them, holds their lease while they run, checkpoints steps,
 * retries retryable failures with backoff and jitter, honours deadlines and cancellation.
 */
export class WorkflowRunner {
  readonly owner = `worker-${randomUUID()}`;
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private running = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;

  private unwatch: (() => void) | undefined;
  private readonly maxRunningPerUser: number;
  private readonly queue: JobQueue;
  private readonly checkpoints: CheckpointStore;
  private readonly transactional: boolean;
  /** Slots taken by claims made in a caller's unit of work that has not ended yet. */
  private reserved = 0;
  /** Claims made in units of work, until their unit ended and the job is launched or handed back (`stop` waits for them). */
  private readonly claimsInUnits = new Set<Promise<void>>();

  constructor(
    backend: JobBackend,
    private readonly workflows: ReadonlyMap<string, Workflow<unknown, unknown>>,
    private readonly events: EventBus,
    private readonly options: RunnerOptions = defaultRunnerOptions,
  ) {
    this.queue = backend.queue;
    this.checkpoints = backend.checkpoints;
    this.transactional = backend.transactional === true;
    this.maxRunningPerUser = options.maxRunningPerUser ?? Math.max(1, options.concurrency - 1);
  }

  /** Whether the runner takes work, and how many jobs it runs now. */
  status(): { running: boolean; active: number } {
    return { running: this.running, active: this.active.size };
  }

  /** Sweeps once (jobs left by a crashed process), then starts taking work. */
  start(): Promise<void> {
    // The worker's loop and timers outlive whoever starts it: none of it joins the caller's unit of work.
    return outsideUnitOfWork(() => this.startOutside());
  }

  private async startOutside(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // A queue that signals across processes wakes us for new jobs and aborts cancelled ones at once.
    this.unwatch = this.queue.watch?.({ due: () => this.wake(), cancelRequested: (jobId) => void this.abortLocal(jobId) });
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepMs);
    this.sweepTimer.unref();
    this.wake();
  }

  /** Tells the runner a job may be due now. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = outsideUnitOfWork(() => this.pump()).finally(() => {
      this.pumping = undefined;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.wake();
      }
    });
  }

  /** Aborts a job this runner is running (the backend flag reaches other runners at lease renewal); true if it ran here. */
  abortLocal(jobId: string): boolean {
    const running = this.active.get(jobId);
    running?.controller.abort(new AbortReason('cancelled'));
    return running !== undefined;
  }

  /**
   * Stops taking work. With `drain`, waits for running jobs; otherwise aborts them and hands them
   * back to the queue for another worker.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.running = false;
    this.unwatch?.();
    this.unwatch = undefined;
    clearTimeout(this.wakeTimer);
    clearInterval(this.sweepTimer);
    await this.pumping;
    if (!options.drain) for (const { controller } of this.active.values()) controller.abort(new AbortReason('shutdown'));
    await Promise.all([...this.active.values()].map(({ done }) => done));
    // Jobs claimed in units of work that ended meanwhile are handed back before the database may close.
    await Promise.all([...this.claimsInUnits]);
  }

  private async sweep(): Promise<void> {
    try {
      const { requeued, failed } = await this.queue.sweep({ maxStalls: this.options.maxStalls });
      for (const jobId of failed) {
        const job = await this.queue.get(jobId);
        if (!job) continue;
        const error = new DarkroomError({ code: job.error?.code ?? 'internal', message: job.error?.message ?? 'The job stalled' });
        await this.notifyFailure(job, error);
        this.events.emit({ type: 'job.failed', jobId, userId: job.userId, error: error.toJSON() });
      }
      if (requeued.length > 0) this.wake();
    } catch {
      // The next sweep tries again.
    }
  }

  private async pump(): Promise<void> {
    clearTimeout(this.wakeTimer);
    try {
      while (this.running && this.active.size + this.reserved < this.options.concurrency) {
        const claimed = await runInUnitOfWork(() => this.claimAndFence());
        if (!claimed) break;
        this.launch(claimed.job, claimed.fenced);
      }
    } catch {
      // Database busy or gone: try again at the next poll.
    }
    if (!this.running) return;
    let delay = this.options.pollMs;
    if (this.active.size < this.options.concurrency) {
      // A job due already was left by the claim (its user is at the running limit): a finishing job wakes us.
      const next = await this.queue.nextDueAt().catch(() => undefined);
      if (next !== undefined && next > Date.now()) delay = Math.max(5, Math.min(delay, next - Date.now()));
    }
    this.wakeTimer = setTimeout(() => this.wake(), delay);
    this.wakeTimer.unref();
  }

  /**
   * Claims the fairest due job and hands its checkpoints to the claim (in the caller's unit of work, so
   * both commit together). `fenced` is false when another claim already holds its checkpoints.
   */
  private async claimAndFence(): Promise<{ job: JobRecord; fenced: boolean } | undefined> {
    const job = await this.queue.claim(this.owner, this.options.leaseMs, { maxRunningPerUser: this.maxRunningPerUser });
    if (!job) return undefined;
    try {
      await this.checkpoints.fence(job.id, { owner: this.owner, attempt: job.attempt });
      return { job, fenced: true };
    } catch {
      // execute() fences again and settles the job as the failure says.
      return { job, fenced: false };
    }
  }

  /**
   * In the unit of work that has just queued a job (on a transactional backend): claims a due job
   * for this runner when it has a free slot, so that queueing and claiming are one commit, and starts
   * it once the unit commits (a rolled-back unit claimed nothing). Does nothing otherwise; the job is
   * then claimed by the worker loop as usual. Says whether it looked for a due job and whether it claimed one.
   */
  async claimWithinUnit(options: { handOff?: boolean } = {}): Promise<{ looked: boolean; claimed: boolean }> {
    // A job ending in this unit hands its slot over (it leaves `active` just after).
    const taken = this.active.size + this.reserved - (options.handOff ? 1 : 0);
    if (!this.transactional || !this.running || taken >= this.options.concurrency) return { looked: false, claimed: false };
    this.reserved += 1;
    let claimed: { job: JobRecord; fenced: boolean } | undefined;
    let looked = false;
    try {
      claimed = await this.claimAndFence();
      looked = true;
    } catch {
      // The worker loop claims it instead.
    }
    let settled!: () => void;
    const settling = new Promise<void>((resolve) => (settled = resolve)).finally(() => this.claimsInUnits.delete(settling));
    this.claimsInUnits.add(settling);
    afterUnitOfWork((committed) => {
      this.reserved -= 1;
      if (!claimed) return settled();
      if (!committed) this.wake();
      // After the caller's own follow-ups (its events), so that listeners hear of the job before it starts.
      else if (this.running) this.launch(claimed.job, claimed.fenced, (start) => setImmediate(start));
      else {
        const release = this.queue.release(claimed.job.id, this.owner, { runAfter: Date.now(), error: new DarkroomError({ code: 'internal', message: 'The worker stopped before starting the job', retryable: true }).toJSON() });
        return void release.catch(() => undefined).finally(settled);
      }
      settled();
    });
    return { looked, claimed: claimed !== undefined };
  }

  /** Runs a claimed job; it counts as running here (`abortLocal` reaches it) from now, though `schedule` may start it later. */
  private launch(job: JobRecord, fenced: boolean, schedule: (start: () => void) => void = (start) => start()): void {
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => schedule(resolve));
    const done = started.then(() => outsideUnitOfWork(() => this.execute(job, controller, fenced))).then(
      (lookedForNext) => {
        this.active.delete(job.id);
        // Its end looked for the next job already (and took it if there was one): no need to look again.
        if (!lookedForNext) this.wake();
      },
      () => {
        this.active.delete(job.id);
        this.wake();
      },
    );
    this.active.set(job.id, { controller, done });
  }

  /** Runs a claimed job to its end; true when its end's commit also looked for the next job (see `claimWithinUnit`). */
  private async execute(job: JobRecord, controller: AbortController, fenced = false): Promise<boolean> {
    const { queue, checkpoints, events, owner } = this;
    const userId = job.userId;
    const lease: StepLease = { owner, attempt: job.attempt };
    const workflow = this.workflows.get(job.kind);
    const timers: NodeJS.Timeout[] = [];
    const renewal = setInterval(async () => {
      try {
        const { held, cancelRequested } = await queue.renew(job.id, owner, this.options.leaseMs);
        if (!held) controller.abort(new AbortReason('lease-lost'));
        else if (cancelRequested) controller.abort(new AbortReason('cancelled'));
      } catch {
        // Transient database error: the lease is still valid for a while; try at the next tick.
      }
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    timers.push(renewal);
    if (job.deadlineAt !== undefined) {
      const deadline = setTimeout(() => controller.abort(new AbortReason('deadline')), Math.max(0, job.deadlineAt - Date.now()));
      timers.push(deadline);
    }
    if (job.cancelRequested) controller.abort(new AbortReason('cancelled'));
    events.emit({ type: 'job.started', jobId: job.id, userId, attempt: job.attempt });

    let progress: ProgressReporter | undefined;
    let storedProgress = job.progress;
    const unwritten: Array<{ key: string; output: unknown; started: boolean; startedAt: number }> = [];
    /** A step's end: one write when its start was not written, else the end of the row its start wrote. */
    const writeEnd = (key: string, started: boolean, startedAt: number, outcome: { output: unknown } | { error: SerializedError }) =>
      started ? checkpoints.finishStep(job.id, key, lease, outcome) : checkpoints.recordStep(job.id, key, lease, { startedAt, outcome });
    /** Writes the ends of steps that stored nothing; each is told (`step.succeeded`) once its end is committed. */
    const writeUnwritten = async () => {
      for (const step of unwritten.splice(0)) {
        await writeEnd(step.key, step.started, step.startedAt, { output: step.output ?? null });
        afterUnitOfWork((committed) => committed && events.emit({ type: 'step.succeeded', jobId: job.id, userId, step: step.key }));
      }
    };
    let held: UnitOfWork | undefined;
    let heldTimer: NodeJS.Timeout | undefined;
    try {
      if (!workflow) throw errors.configuration(`No workflow is registered for jobs of kind ${JSON.stringify(job.kind)}`);
      // From here on a worker that lost this claim can no longer write the job's checkpoints.
      if (!fenced) await checkpoints.fence(job.id, lease);
      const steps = new Map<string, StepRecord>((await checkpoints.steps(job.id)).map((step) => [step.key, step]));
      let progressWrittenAt = Date.now();
      const progressWriteMs = this.options.progressWriteMs ?? 1000;
      progress = createProgressReporter(job.progress, async (percent) => {
        if (Date.now() - progressWrittenAt >= progressWriteMs) {
          progressWrittenAt = Date.now();
          await queue.setProgress(job.id, owner, percent);
          storedProgress = percent;
        }
        events.emit({ type: 'job.progress', jobId: job.id, userId, progress: percent });
      });
      const reporter = progress;
      // A step's end is written with the job's next write, not in a commit of its own: with what the next
      // step stores, or with the job's end. A step that stored something (its unit of work was joined)
      // commits it with its end, held open until the workflow's next step or its end (or a short guard).
      const commitHeld = async () => {
        clearTimeout(heldTimer);
        const unit = held;
        held = undefined;
        await unit?.commit();
      };
      const context: WorkflowContext<unknown> = {
        job,
        input: job.input,
        signal: controller.signal,
        step: async (key, run, options = {}) => {
          const done = steps.get(key);
          if (done?.status === 'succeeded') return done.output as never;
          // What the previous step stored is committed before this step's work begins.
          await commitHeld();
          controller.signal.throwIfAborted();
          const record: StepRecord = { jobId: job.id, key, status: 'running', attempt: (done?.attempt ?? 0) + 1, startedAt: Date.now(), state: { ...done?.state } };
          // The step's start is written with its end, or before it saves state.
          let started = false;
          const writeStart = async () => {
            await writeUnwritten();
            if (!started) await checkpoints.startStep(job.id, key, lease);
            started = true;
          };
          events.emit({ type: 'step.started', jobId: job.id, userId, step: key, attempt: record.attempt });
          const signal = options.timeoutMs ? AbortSignal.any([controller.signal, AbortSignal.timeout(options.timeoutMs)]) : controller.signal;
          const unit = createUnitOfWork();
          try {
            const saved: Record<string, unknown> = { ...record.state };
            const checkpoint = {
              get: <T>(name: string) => saved[name] as T | undefined,
              set: async (name: string, value: unknown) => {
                saved[name] = value;
                await runInUnitOfWork(async () => {
                  await writeStart();
                  await checkpoints.saveStepState(job.id, key, lease, saved);
                });
              },
            };
            // The step's progress is written and published before its end. A step that joined its unit waits
            // for it only once the unit is held (below): a progress write reported beside it (another step, the
            // workflow) waits for the unit's connection on SQLite, so waiting for it here would hold the unit
            // open until the guard.
            const output = await unit.run(() => run({ signal, attempt: record.attempt, checkpoint })).finally(() => (unit.joined ? undefined : reporter.settled()));
            if (unit.joined) {
              // The step stored something: its end commits with it.
              await unit.run(async () => {
                await writeUnwritten();
                await writeEnd(key, started, record.startedAt, { output: output ?? null });
                afterUnitOfWork((committed) => {
                  if (committed) events.emit({ type: 'step.succeeded', jobId: job.id, userId, step: key });
                });
              });
              // One unit held at a time (steps run side by side, or one inside another, each end theirs).
              await commitHeld();
              held = unit;
              heldTimer = setTimeout(() => void commitHeld().catch(() => undefined), heldUnitMs);
              heldTimer.unref();
              await reporter.settled();
            } else {
              // Written (and told) with the job's next write: until then a crash runs it again.
              unwritten.push({ key, output, started, startedAt: record.startedAt });
            }
            steps.set(key, { ...record, status: 'succeeded', output });
            return output;
          } catch (error) {
            await unit.rollback().catch(() => undefined);
            await reporter.settled();
            if (isLeaseLost(error)) controller.abort(new AbortReason('lease-lost'));
            const failure = this.classify(error, controller.signal);
            await runInUnitOfWork(async () => {
              await writeUnwritten();
              await writeEnd(key, started, record.startedAt, { error: failure.toJSON() });
            }).catch(() => undefined);
            events.emit({ type: 'step.failed', jobId: job.id, userId, step: key, error: failure.toJSON() });
            throw failure;
          }
        },
        progress: (percent) => reporter.report(percent),
      };
      // A progress write still under way lands before the job's end is recorded and published.
      let result: unknown;
      try {
        result = await workflow.run(context).finally(() => reporter.settled());
      } catch (error) {
        // What the steps before the failure stored stays; the failure is settled below.
        await commitHeld().catch(() => undefined);
        throw error;
      }
      clearTimeout(heldTimer);
      const ending = held ?? createUnitOfWork();
      held = undefined;
      ending.join();
      let finished: boolean;
      let lookedForNext = false;
      try {
        finished = await ending.run(async () => {
          await writeUnwritten();
          // On a queue outside the unit's database (Redis), the job ends only once its steps are written.
          if (!this.transactional) await ending.commit();
          const ended = await queue.finish(job.id, owner, { state: 'succeeded', result: result ?? null });
          // The next job is claimed in the same commit that ends this one.
          lookedForNext = (await this.claimWithinUnit({ handOff: true })).looked;
          return ended;
        });
        await ending.commit();
      } catch (error) {
        await ending.rollback().catch(() => undefined);
        throw error;
      }
      if (finished) events.emit({ type: 'job.succeeded', jobId: job.id, userId, kind: job.kind, result });
      return lookedForNext;
    } catch (thrown) {
      if (isLeaseLost(thrown)) controller.abort(new AbortReason('lease-lost'));
      // Steps that ended before the failure are kept, so that a retry does not run them again.
      await runInUnitOfWork(writeUnwritten).catch(() => undefined);
      // A job that runs again starts from its stored percent: store the last one reported, so it never goes back.
      const latest = progress?.latest() ?? storedProgress;
      if (latest > storedProgress) await queue.setProgress(job.id, owner, latest).catch(() => undefined);
      await this.settleFailure(job, this.classify(thrown, controller.signal), controller.signal.reason);
      return false;
    } finally {
      for (const timer of timers) clearTimeout(timer);
      clearInterval(renewal);
    }
  }

  private classify(error: unknown, signal: AbortSignal): DarkroomError {
    const reason = signal.aborted ? signal.reason : undefined;
    if (reason instanceof AbortReason) {
      if (reason.kind === 'cancelled') return errors.cancelled();
      if (reason.kind === 'deadline') return new DarkroomError({ code: 'timeout', message: 'The job passed its deadline' });
      return new DarkroomError({ code: 'internal', message: `The worker let go of the job (${reason.kind})`, retryable: true });
    }
    return toDarkroomError(error);
  }

  private async settleFailure(job: JobRecord, error: DarkroomError, reason: unknown): Promise<void> {
    const { queue, events, owner } = this;
    const userId = job.userId;
    if (reason instanceof AbortReason && (reason.kind === 'lease-lost' || reason.kind === 'shutdown')) {
      // Not ours to settle: another worker holds the job, or we hand it back at shutdown.
      if (reason.kind === 'shutdown') await queue.release(job.id, owner, { runAfter: Date.now(), error: error.toJSON() }).catch(() => undefined);
      return;
    }
    const cancelled = error.code === 'cancelled';
    const pastDeadline = job.deadlineAt !== undefined && Date.now() >= job.deadlineAt;
    // A service of the engine's own that is down (its database, Redis, MongoDB: `unavailable`) says
    // nothing about the job: it is retried until its deadline, not given up after `maxAttempts`.
    const outage = error.code === 'unavailable' && error.retryable;
    if (!cancelled && error.retryable && !pastDeadline && (outage || job.attempt < job.maxAttempts)) {
      // A provider's own delay hint (Retry-After, RetryInfo.retryDelay) wins over a shorter backoff.
      const hinted = Number(error.details?.retryAfterMs ?? 0);
      const runAfter = Date.now() + Math.max(backoffDelay(job.attempt, this.options.backoff), Number.isFinite(hinted) ? hinted : 0);
      if (await queue.release(job.id, owner, { runAfter, error: error.toJSON() })) {
        events.emit({ type: 'job.retrying', jobId: job.id, userId, error: error.toJSON(), runAfter });
      }
      return;
    }
    await this.notifyFailure(job, error);
    const finished = await queue.finish(job.id, owner, { state: cancelled ? 'cancelled' : 'failed', error: error.toJSON() });
    if (!finished) return;
    events.emit(cancelled ? { type: 'job.cancelled', jobId: job.id, userId } : { type: 'job.failed', jobId: job.id, userId, error: error.toJSON() });
  }

  /**
   * Lets the job's workflow record a failure or cancellation that happened outside a run (a queued
   * job cancelled, a stalled job given up by the sweeper).
   */
  async notifyFailure(job: JobRecord, error: DarkroomError): Promise<void> {
    const workflow = this.workflows.get(job.kind);
    try {
      await workflow?.onFailure?.({ job, input: job.input, error });
    } catch {
      // Recording the failure elsewhere must not keep the job from settling.
    }
  }
}

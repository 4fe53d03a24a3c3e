import type { EventBus } from '../events/event-bus.js';

/**
 * The latest percent heard in `job.progress` events (this process's and, with a cross-process
 * transport, every worker's) of running jobs, at most `size` jobs (oldest forgotten first). The job
 * store holds a running job's percent only every `RunnerOptions.progressWriteMs`; reads of a job add
 * what was heard since.
 */
export class HeardProgress {
  private readonly percents = new Map<string, number>();

  constructor(events: EventBus, private readonly size = 10_000) {
    events.on((event) => {
      if (event.type === 'job.progress') {
        this.percents.delete(event.jobId);
        this.percents.set(event.jobId, event.progress);
        if (this.percents.size > this.size) this.percents.delete(this.percents.keys().next().value!);
      } else if (event.type === 'job.succeeded' || event.type === 'job.failed' || event.type === 'job.cancelled') {
        this.percents.delete(event.jobId);
      }
    });
  }

  /** `stored`, or the higher percent heard since it was written. */
  of(jobId: string, stored: number): number {
    return Math.max(stored, this.percents.get(jobId) ?? 0);
  }
}

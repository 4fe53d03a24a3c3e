import { clampPercent } from './clamp-percent.js';

export interface ProgressReporter {
  /**
   * Reports the job's percent, 0..100. Clamped to 0..100; NaN and non-finite values are ignored, and
   * so is any value not above the last one reported, so the job's percent never goes backwards.
   * Resolves once this value is written and published (at once when it was ignored).
   */
  report(percent: number): Promise<void>;
  /** Resolves when every value reported so far is written and published (never rejects). */
  settled(): Promise<void>;
  /** The highest percent accepted so far (the start value before any). */
  latest(): number;
}

/**
 * A job's progress as its workflow reports it: non-decreasing from `start` (the job's stored
 * percent, so a re-run of a job never goes back either), each value written and published one
 * after the other in the order reported, even when callers do not wait for the previous one.
 *
 * @example
 * const progress = createProgressReporter(job.progress, async (percent) => { await queue.setProgress(job.id, owner, percent); });
 * void progress.report(40);
 * await progress.settled();
 */
export function createProgressReporter(start: number, write: (percent: number) => Promise<void>): ProgressReporter {
  let last = clampPercent(start) ?? 0;
  let queue: Promise<void> = Promise.resolve();
  return {
    report(percent) {
      const value = clampPercent(percent);
      if (value === undefined || value <= last) return Promise.resolve();
      last = value;
      const written = queue.then(() => write(value));
      queue = written.catch(() => undefined);
      return written;
    },
    settled: () => queue,
    latest: () => last,
  };
}

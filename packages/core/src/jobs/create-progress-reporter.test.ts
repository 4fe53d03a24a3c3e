import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './create-progress-reporter.js';

describe('createProgressReporter', () => {
  it('writes only values above the last one, clamped, and ignores NaN and non-finite ones', async () => {
    const written: number[] = [];
    const progress = createProgressReporter(0, async (percent) => void written.push(percent));
    for (const percent of [0, 10, Number.NaN, 5, 10, Infinity, 30, -Infinity, 150, 120]) void progress.report(percent);
    await progress.settled();
    expect(written).toEqual([10, 30, 100]);
  });

  it('starts from the job\'s stored percent, so a re-run never moves it back', async () => {
    const written: number[] = [];
    const progress = createProgressReporter(60, async (percent) => void written.push(percent));
    await progress.report(5);
    await progress.report(60);
    await progress.report(61);
    expect(written).toEqual([61]);
  });

  it('writes in the order reported even when an earlier write is slower, and a failed write stops none after it', async () => {
    const written: number[] = [];
    const progress = createProgressReporter(0, async (percent) => {
      await new Promise((resolve) => setTimeout(resolve, percent === 20 ? 30 : 1));
      if (percent === 40) throw new Error('lease lost');
      written.push(percent);
    });
    const reports = [20, 40, 60].map((percent) => progress.report(percent));
    await expect(reports[1]).rejects.toThrow('lease lost');
    await progress.settled();
    expect(written).toEqual([20, 60]);
  });
});

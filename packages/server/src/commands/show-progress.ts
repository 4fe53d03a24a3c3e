import type { StudioProgress } from './studio.js';

/**
 * A progress bar on standard error (cli-progress) for a job: percent and the step it is in. On a
 * terminal it redraws in place; elsewhere (a pipe, a log) it writes a line when the step changes.
 * `done()` stops it, leaving the last state; loads cli-progress only when called.
 *
 * @example
 * const progress = await showProgress('upscale');
 * await studio.run('upscale', input, { onProgress: progress.update });
 * progress.done();
 */
export async function showProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Promise<{ update: (progress: StudioProgress) => void; done: () => void }> {
  if (!stream.isTTY) {
    let lastStep: string | undefined;
    return {
      update: ({ progress, step }) => {
        if (step === lastStep) return;
        lastStep = step;
        stream.write(`${label}: ${Math.round(progress)}%${step ? ` (${step})` : ''}\n`);
      },
      done: () => undefined,
    };
  }
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {duration_formatted} | {step}`, stream, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  bar.start(100, 0, { step: 'queued' });
  return {
    update: ({ progress, step }) => bar.update(Math.round(progress), { step: step ?? 'running' }),
    done: () => bar.stop(),
  };
}

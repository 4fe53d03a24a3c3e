import type { Engine } from '@darkroom/core';
import { jsonLogger } from '../middleware/request-context.js';

/** How long running jobs may finish after SIGTERM/SIGINT before they go back to the queue. */
const drainSeconds = 25;

/**
 * On SIGTERM or SIGINT (once): `before()` (stop taking requests), then let running jobs finish for
 * up to `drainSeconds`, hand the rest back to the queue for another worker, `after()`, and exit 0.
 */
export function shutDownOnSignal(engine: Engine, hooks: { before?: () => void; after?: () => Promise<void> } = {}): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLogger({ level: 'info', message: `${signal}: shutting down; running jobs may finish for up to ${drainSeconds} s, then go back to the queue` });
    hooks.before?.();
    const drained = engine.close({ drain: true }).then(() => true);
    const handedBack = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), drainSeconds * 1000).unref());
    if (!(await Promise.race([drained, handedBack]))) {
      jsonLogger({ level: 'warn', message: `jobs still running after ${drainSeconds} s: handing them back to the queue` });
      await engine.close({ drain: false }).catch(() => undefined);
    }
    await hooks.after?.();
    jsonLogger({ level: 'info', message: 'stopped' });
    // Standard output to a pipe is written asynchronously: let the log lines out before exiting.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

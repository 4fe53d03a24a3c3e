// A real engine process for the crash-safety test: slow providers, every step event logged to a file.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineProvider } from '@darkroom/core';
import { createLocalProvider } from '@darkroom/provider-local';
import { createDefaultEngine } from '../create-default-engine.js';

const dataDir = process.env.CRASH_DATA_DIR!;
const log = join(dataDir, 'steps.log');
const local = createLocalProvider();
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
// Same work as local, made slow so that the kill lands mid-step.
const slow = defineProvider({
  id: 'slow-local',
  models: local.models,
  handlers: Object.fromEntries(
    Object.entries(local.handlers).map(([capability, handler]) => [
      capability,
      async (request: never, context: { signal: AbortSignal; model: string }) => {
        await sleep(250, context.signal);
        return (handler as (request: never, context: unknown) => Promise<unknown>)(request, context);
      },
    ]),
  ),
});

const engine = await createDefaultEngine({
  dataDir,
  providers: [slow],
  routing: { upscale: ['slow-local'], 'text-to-image': ['slow-local'] },
  // Both slots for the one user, so that the kill lands while a step runs.
  runner: { concurrency: 2, maxRunningPerUser: 2, leaseMs: 900, sweepMs: 250, pollMs: 50, maxStalls: 5 },
});
engine.on((event) => {
  if (event.type === 'step.started' || event.type === 'step.succeeded') appendFileSync(log, `${event.type} ${event.jobId} ${event.step}\n`);
});

if (process.env.CRASH_SUBMIT) {
  const jobs: string[] = [];
  const turns: Array<{ session: string; message: string }> = [];
  for (let index = 0; index < 3; index += 1) {
    const session = await engine.chat.createSession('crash-user');
    const sent = await engine.chat.send({ userId: 'crash-user', sessionId: session.id, content: `create a sunset over mountains number ${index}, then upscale it 2x` });
    jobs.push(sent.jobId);
    turns.push({ session: session.id, message: sent.messageId });
  }
  for (let index = 0; index < 2; index += 1) {
    const job = await engine.submit('generate', { prompt: `a lighthouse ${index}`, width: 256, height: 256 }, { userId: 'crash-user' });
    jobs.push(job.id);
  }
  process.stdout.write(`${JSON.stringify({ jobs, turns })}\n`);
}
if (process.env.CRASH_WAIT) {
  for (const id of JSON.parse(process.env.CRASH_WAIT) as string[]) await engine.jobs.wait('crash-user', id, { timeoutMs: 60_000 });
  await engine.close();
  process.stdout.write('done\n');
}

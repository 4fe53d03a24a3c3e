// A real engine process routed to a (fake) Runware, for the "killed after the provider accepted the task" test.
import { createDefaultEngine } from '../create-default-engine.js';

const engine = await createDefaultEngine({
  dataDir: process.env.CHILD_DATA_DIR!,
  runware: { apiKey: process.env.CHILD_RUNWARE_KEY!, baseURL: process.env.CHILD_RUNWARE_URL!, timeoutMs: 30_000 },
  routing: { 'text-to-image': ['runware'] },
  runner: { leaseMs: 900, sweepMs: 200, pollMs: 50 },
});
if (process.env.CHILD_SUBMIT) {
  const job = await engine.submit('generate', { prompt: 'a lighthouse at dusk', width: 512, height: 512 });
  process.stdout.write(`${JSON.stringify({ job: job.id })}\n`);
}
if (process.env.CHILD_WAIT) {
  const job = await engine.jobs.wait('local', process.env.CHILD_WAIT, { timeoutMs: 60_000 });
  process.stdout.write(`${JSON.stringify({ state: job.state, provider: (job.result as { provider?: string } | undefined)?.provider })}\n`);
  await engine.close();
}

// Distributed throughput: jobs/s with 1, 2 and 4 worker processes (`darkroom worker`) on BullMQ
// (a redis-server of the bench's own, AOF on) with step checkpoints in PostgreSQL (a fresh database
// per run), for an I/O-bound provider that waits BENCH_PROVIDER_MS (50) per image. Goals: 2 ÷ 1
// workers ≥ 1.8 and 4 ÷ 1 ≥ 3.2. Each run: one `serve --api-only` process, BENCH_JOBS_PER_SLOT
// jobs per worker slot queued through its HTTP API (Prefer: respond-async) while no worker runs,
// then the workers started together; throughput is read from the jobs' completion times between the
// 10th and the 90th percentile (worker start-up and the last stragglers left out), and over the
// whole run (first start to last end) for comparison, with how busy the machine's CPUs were. Each
// case runs BENCH_REPEATS times (default 2), interleaved, and its best run counts: other work on a
// shared machine only ever slows a run down.
import { cpus, loadavg } from 'node:os';
import { distributedServicesAvailable } from '../packages/server/src/testing/distributed-services.ts';
import { callApi, startCluster } from '../packages/server/src/testing/distributed-cluster.ts';

const concurrency = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 2);
const providerMs = Number(process.env.BENCH_PROVIDER_MS ?? 50);
const jobsPerSlot = Number(process.env.BENCH_JOBS_PER_SLOT ?? 60);
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);

/** Busy and total CPU time of the machine so far (ms, all cores). */
const cpuTimes = () =>
  cpus().reduce((sum, cpu) => ({ busy: sum.busy + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, total: sum.total + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq + cpu.times.idle }), { busy: 0, total: 0 });
const goals: Record<number, number> = { 2: 1.8, 4: 3.2 };

async function measure(workers: number) {
  const cluster = await startCluster({
    workers: [],
    env: { DARKROOM_ROUTING: 'text-to-image=io-wait', DARKROOM_TEST_PROVIDER_DELAY_MS: String(providerMs), DARKROOM_JOB_LEASE_MS: '10000' },
  });
  try {
    const total = jobsPerSlot * workers * concurrency;
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          const index = next++;
          const reply = await callApi(cluster.url, 'POST', '/v1/features/image-generation', { prompt: `a kite ${index}`, width: 64, height: 64 }, { prefer: 'respond-async' });
          if (reply.status !== 202) throw new Error(`submit answered ${reply.status}: ${JSON.stringify(reply.body)}`);
          ids.push(reply.body.job_id);
        }
      }),
    );
    await Promise.all(Array.from({ length: workers }, () => cluster.addWorker(concurrency)));
    const cpuAtStart = cpuTimes();
    const deadline = Date.now() + 300_000;
    let finished: number[] = [];
    for (;;) {
      const events = cluster.events();
      const failed = events.filter((event) => event.type === 'job.failed');
      if (failed.length > 0) throw new Error(`${failed.length} jobs failed`);
      finished = events.filter((event) => event.type === 'job.succeeded').map((event) => event.at);
      if (finished.length >= total) break;
      if (Date.now() > deadline) throw new Error(`${finished.length} of ${total} jobs ended in 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const cpuAtEnd = cpuTimes();
    const started = Math.min(...cluster.events().filter((event) => event.type === 'job.started').map((event) => event.at));
    finished.sort((a, b) => a - b);
    const low = Math.floor(total * 0.1);
    const high = Math.floor(total * 0.9) - 1;
    const perWorker = new Map<number, number>();
    for (const event of cluster.events()) if (event.type === 'job.succeeded') perWorker.set(event.pid, (perWorker.get(event.pid) ?? 0) + 1);
    return {
      jobs: total,
      steady: (high - low) / ((finished[high]! - finished[low]!) / 1000),
      whole: total / ((finished.at(-1)! - started) / 1000),
      split: [...perWorker.values()].join(' / '),
      cpuBusy: (cpuAtEnd.busy - cpuAtStart.busy) / (cpuAtEnd.total - cpuAtStart.total),
    };
  } finally {
    await cluster.dispose();
  }
}

let available = false;
try {
  available = await distributedServicesAvailable();
} catch (error) {
  console.log(`\nDistributed throughput: skipped (${error instanceof Error ? error.message : String(error)})`);
}
if (available) {
  const best = new Map<number, Awaited<ReturnType<typeof measure>>>();
  const loadBefore = loadavg()[0]!;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const workers of workerCounts) {
      const run = await measure(workers);
      if (!best.has(workers) || run.steady > best.get(workers)!.steady) best.set(workers, run);
    }
  }
  const results = workerCounts.map((workers) => ({ workers, ...best.get(workers)! }));
  const baseline = results[0]!;
  console.log(
    `\nDistributed throughput: N \`darkroom worker --concurrency ${concurrency}\` processes on BullMQ (own redis-server, AOF) + PostgreSQL checkpoints; ` +
      `generate 64×64 on a provider that waits ${providerMs} ms; ${jobsPerSlot} jobs per worker slot queued through one \`serve --api-only\` before the workers start; ` +
      `best of ${repeats}; ${cpus().length} CPUs, load average ${loadBefore.toFixed(2)} before`,
  );
  console.table(
    results.map((result) => ({
      case: `${result.workers} worker${result.workers > 1 ? 's' : ''} × ${concurrency}`,
      jobs: result.jobs,
      'jobs/s (10–90 %)': result.steady.toFixed(1),
      'jobs/s (whole run)': result.whole.toFixed(1),
      'jobs per worker': result.split,
      'CPU busy': `${Math.round(result.cpuBusy * 100)} %`,
      'ratio vs 1 worker': result === baseline ? '1.00 (baseline)' : (result.steady / baseline.steady).toFixed(2),
      goal: goals[result.workers] ? `≥ ${goals[result.workers]!.toFixed(1)}` : '',
    })),
  );
}

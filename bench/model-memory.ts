// Models in bounded memory, and ONNX pre/post-processing off the main thread (issue 14). Every
// memory figure comes from a child process of its own (this file, run again with MODEL_MEMORY_CHILD
// set), so one measurement's heap and arenas never inflate another's:
//   1. RSS after 1 and after N background removals through the local provider, onnxruntime's CPU
//      memory arena off (the default) vs on (the old setting), removals interleaved between the two
//      processes so their speed ratio is fair on a busy machine;
//   2. background removal of a 1024² photo ÷ bare `session.run` on the same model, interleaved in one
//      process, and the event loop's delay while those removals run;
//   3. GET /health latency while removals run back to back through the HTTP server;
//   4. peak RSS of 32 concurrent 1-megapixel enhance requests.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mean, percentile } from './measure.ts';

const fixtures = new URL('../../shared/fixtures/images/', import.meta.url);
const mb = (bytes: number) => bytes / 2 ** 20;
const megabytes = (bytes: number) => `${mb(bytes).toFixed(0)} MB`;
/** Peak resident set size of this process since it started (or since `resetPeak`), in bytes. */
const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
/** Linux: clear_refs 5 resets VmHWM to the current RSS. */
const resetPeak = () => writeFileSync('/proc/self/clear_refs', '5');
/** CPU time of the main thread (the event loop's thread) so far, in ms (Linux; 10 ms ticks). */
const mainThreadCpu = () => {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** A real photo (rocket.jpg) at the given size, cropped to fill it; opaque alpha added when asked. */
async function photo(width: number, height: number, format: 'png' | 'jpeg' = 'png', alpha = false): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  let pipeline = sharp(readFileSync(new URL('rocket.jpg', fixtures))).resize(width, height, { fit: 'cover' });
  if (alpha) pipeline = pipeline.ensureAlpha(1);
  return new Uint8Array(await (format === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 90 })).toBuffer());
}

// ---------------------------------------------------------------- children

type Reply = Record<string, number | string | number[]>;
/** A provider call's checkpoint store, unused here. */
const checkpoint = { get: () => undefined, set: async () => undefined };
const child = process.env.MODEL_MEMORY_CHILD;

/** Mode `removals`: a local provider with the arena as told; removes a background on each request from the parent. */
async function removalsChild(): Promise<void> {
  const { inspectImage } = await import('@darkroom/core');
  const { createLocalProvider } = await import('@darkroom/provider-local');
  const local = createLocalProvider({ onnxCpuMemArena: process.env.MODEL_MEMORY_ARENA === 'on' });
  const image = await inspectImage(await photo(1024, 1024));
  const context = { signal: new AbortController().signal, model: 'isnet', checkpoint };
  process.send!({ ready: true, rss: process.memoryUsage.rss() });
  process.on('message', async (message: { do: string }) => {
    if (message.do === 'removal') {
      const started = performance.now();
      const cpu = mainThreadCpu();
      await local.handlers['remove-background']!({ image }, context);
      process.send!({ ms: performance.now() - started, cpu: mainThreadCpu() - cpu, rss: process.memoryUsage.rss() });
    } else {
      await local.close!();
      process.send!({ peak: peakRss() });
    }
  });
}

/** Mode `speed`: removal of a 1024² photo vs bare `session.run` on a prepared tensor, interleaved; event-loop delay during the removals. */
async function speedChild(): Promise<void> {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const { availableParallelism } = await import('node:os');
  const { inspectImage } = await import('@darkroom/core');
  const { createLocalProvider } = await import('@darkroom/provider-local');
  const { InferenceSession, Tensor } = await import('onnxruntime-node');
  const { findBundledIsNet, loadModelBytes } = await import('../packages/providers/local/src/load-model-bytes.ts');
  const { sessionOptions } = await import('../packages/providers/local/src/onnx-worker-source.ts');
  const rounds = Number(process.env.BENCH_SPEED_ROUNDS ?? 5);
  const local = createLocalProvider();
  // The provider's own session options (its default: arena off), on this thread.
  const bare = await InferenceSession.create(await loadModelBytes(findBundledIsNet()!), { ...sessionOptions(availableParallelism(), false), executionProviders: ['cpu'] } as import('onnxruntime-node').InferenceSession.SessionOptions);
  const tensor = new Tensor('float32', new Float32Array(3 * 1024 * 1024).fill(0.1), [1, 3, 1024, 1024]);
  const image = await inspectImage(await photo(1024, 1024));
  const context = { signal: new AbortController().signal, model: 'isnet', checkpoint };
  const removal = () => local.handlers['remove-background']!({ image }, context);
  const bareRun = () => bare.run({ [bare.inputNames[0]!]: tensor });
  await removal();
  await bareRun();
  const removals: number[] = [];
  const bareRuns: number[] = [];
  const delays: number[] = [];

  for (let round = 0; round < rounds; round += 1) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    let started = performance.now();
    await removal();
    removals.push(performance.now() - started);
    delay.disable();
    delays.push(delay.percentile(99) / 1e6, delay.max / 1e6);
    started = performance.now();
    await bareRun();
    bareRuns.push(performance.now() - started);
  }
  await local.close!();
  await bare.release();
  process.send!({ removals, bareRuns, delayP99: Math.max(...delays.filter((_, index) => index % 2 === 0)), delayMax: Math.max(...delays) });
}

/** Mode `health`: the HTTP server with the default engine; removals back to back over HTTP while /health is polled. */
async function healthChild(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const { serve } = await import('@hono/node-server');
  const { createDefaultEngine, createServer } = await import('@darkroom/server');
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-model-memory-'));
  const engine = await createDefaultEngine({ dataDir, runner: { pollMs: 1000 } });
  const server = serve({ fetch: createServer({ engine, rateLimit: false }).app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  const body = JSON.stringify({ image: { base64: Buffer.from(await photo(1024, 1024)).toString('base64') } });
  const health = () => fetch(`${url}/health`).then((response) => response.arrayBuffer());
  const remove = () =>
    fetch(`${url}/v1/features/remove-background`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (response) => {
      if (response.status !== 200) throw new Error(`remove-background answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    });
  await remove(); // loads the model
  const idle: number[] = [];
  for (let index = 0; index < 100; index += 1) {
    const started = performance.now();
    await health();
    idle.push(performance.now() - started);
  }
  let busy = true;
  let removals = 0;
  const loop = (async () => {
    while (busy) {
      await remove();
      removals += 1;
    }
  })();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpu = mainThreadCpu();
  const samples: number[] = [];
  const until = Date.now() + Number(process.env.BENCH_HEALTH_MS ?? 15_000);
  while (Date.now() < until) {
    const started = performance.now();
    await health();
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  delay.disable();
  const active = mainThreadCpu() - cpu;
  busy = false;
  await loop;
  server.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.send!({ idle, samples, removals, busyPerRemoval: active / Math.max(1, removals), delayP99: delay.percentile(99) / 1e6, delayMax: delay.max / 1e6 });
}

/** Mode `enhance`: 32 concurrent enhance requests on 1-megapixel photos; the peak RSS they add. */
async function enhanceChild(): Promise<void> {
  const { inspectImage } = await import('@darkroom/core');
  const { createLocalProvider } = await import('@darkroom/provider-local');
  const concurrent = Number(process.env.BENCH_CONCURRENT ?? 32);
  const budget = process.env.MODEL_MEMORY_BUDGET;
  // 'none': no budget (the old behaviour); a number: that many megapixels; else the provider's default.
  const local = createLocalProvider(budget === 'none' ? { pixelBudget: Infinity } : Number(budget) > 0 ? { pixelBudget: Number(budget) * 2 ** 20 } : {});
  // A 1024² RGBA PNG by default (the worst case: alpha split off and joined back); BENCH_ENHANCE_INPUT=jpeg for a 1000² JPEG.
  const jpeg = process.env.BENCH_ENHANCE_INPUT === 'jpeg';
  const image = await inspectImage(jpeg ? await photo(1000, 1000, 'jpeg') : await photo(1024, 1024, 'png', true));
  // Each request with a signal of its own, as the engine gives them.
  const enhance = () => local.handlers.enhance!({ image, denoise: 0.3, sharpen: 0.4, autoLevels: true }, { signal: new AbortController().signal, model: 'classic-enhance', checkpoint });
  await enhance(); // warm: sharp's threads and caches exist before the baseline is taken
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  resetPeak();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrent }, enhance));
  const wall = performance.now() - started;
  const peak = peakRss();
  const single: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const start = performance.now();
    await enhance();
    single.push(performance.now() - start);
  }
  await local.close!();
  process.send!({ baseline, peak, wall, single: mean(single), decoded: concurrent * image.width * image.height * (jpeg ? 3 : 4), concurrent, input: jpeg ? '1000×1000 JPEG' : '1024×1024 RGBA PNG' });
}

// ---------------------------------------------------------------- parent

function start(mode: string, env: Record<string, string> = {}): ChildProcess {
  return fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--conditions=darkroom-source', '--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env, MODEL_MEMORY_CHILD: mode },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
const next = (worker: ChildProcess) =>
  new Promise<Reply>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`a benchmark child exited with code ${code}`));
    worker.once('exit', onExit);
    worker.once('message', (message) => {
      worker.off('exit', onExit);
      resolve(message as Reply);
    });
  });
const ask = (worker: ChildProcess, what: string) => {
  const reply = next(worker);
  worker.send({ do: what });
  return reply;
};
const run = async (mode: string, env: Record<string, string> = {}) => {
  const worker = start(mode, env);
  const reply = await next(worker);
  worker.kill();
  return reply;
};

async function parent(): Promise<void> {
  const goal = (ok: boolean) => (ok ? 'yes' : 'NO');
  const parts = process.env.BENCH_MODEL_MEMORY_PARTS ?? '1234';
  // 1. RSS over N removals, arena off vs on, interleaved.
  if (parts.includes('1')) {
    const removals = Number(process.env.BENCH_REMOVALS ?? 50);
    const settings = [
      ['arena off (chosen, default)', 'off'],
      ['arena on (old setting)', 'on'],
    ] as const;
    const children = settings.map(([, arena]) => start('removals', { MODEL_MEMORY_ARENA: arena }));
    const ready = await Promise.all(children.map(next));
    const times: number[][] = settings.map(() => []);
    const rss: number[][] = settings.map(() => []);
    const cpu: number[][] = settings.map(() => []);
    for (let round = 0; round < removals; round += 1) {
      for (const [index, child] of children.entries()) {
        const reply = await ask(child, 'removal');
        times[index]!.push(reply.ms as number);
        rss[index]!.push(reply.rss as number);
        cpu[index]!.push(reply.cpu as number);
      }
    }
    const peaks = await Promise.all(children.map((child) => ask(child, 'report')));
    for (const child of children) child.kill();
    const warm = (samples: number[]) => mean(samples.slice(1));
    console.log(`\nBackground removal (IS-Net, 1024² photo) through the local provider, ${removals} removals per setting in two processes, interleaved (load ${loadAverage()})`);
    console.table(
      settings.map(([name], index) => ({
        setting: name,
        'RSS before': megabytes(ready[index]!.rss as number),
        'RSS after 1': megabytes(rss[index]![0]!),
        [`RSS after ${Math.min(10, removals)}`]: megabytes(rss[index]![Math.min(10, removals) - 1]!),
        [`RSS after ${removals}`]: megabytes(rss[index]!.at(-1)!),
        'peak RSS': megabytes(peaks[index]!.peak as number),
        'first ms': times[index]![0]!.toFixed(0),
        'mean ms (2nd on)': warm(times[index]!).toFixed(0),
        'time ÷ arena on': (warm(times[index]!) / warm(times[1]!)).toFixed(2),
        'main-thread CPU ms': warm(cpu[index]!).toFixed(0),
        'goal: RSS after N ≤ 1 GB': goal(rss[index]!.at(-1)! <= 2 ** 30),
      })),
    );
    console.log(`(the goal says 200 removals: BENCH_REMOVALS=200; growth from removal ${Math.min(10, removals)} to ${removals}: ${settings.map(([name], index) => `${name} ${(mb(rss[index]!.at(-1)! - rss[index]![Math.min(10, removals) - 1]!)).toFixed(0)} MB`).join(', ')})`);
  }

  // 2. Removal ÷ bare session.run; event-loop delay during removals.
  if (parts.includes('2')) {
    const speed = await run('speed');
    const removals = speed.removals as number[];
    const bareRuns = speed.bareRuns as number[];
    const ratio = mean(removals) / mean(bareRuns);
    console.log(`\nBackground removal of a 1024² photo through the local provider vs bare session.run (same model and session options, a prepared tensor), interleaved, ${removals.length} each (load ${loadAverage()})`);
    console.table([
      { case: 'bare session.run (main thread)', 'mean ms': mean(bareRuns).toFixed(0), 'p50 ms': percentile(bareRuns, 50).toFixed(0), ratio: '1.00 (baseline)', goal: '' },
      { case: 'remove-background handler', 'mean ms': mean(removals).toFixed(0), 'p50 ms': percentile(removals, 50).toFixed(0), ratio: ratio.toFixed(2), goal: `≤ 1.10: ${goal(ratio <= 1.1)}` },
    ]);
    console.log(`event-loop delay during those removals: p99 ${(speed.delayP99 as number).toFixed(1)} ms, max ${(speed.delayMax as number).toFixed(1)} ms`);
  }

  // 3. /health while removals run back to back over HTTP.
  if (parts.includes('3')) {
    const health = await run('health');
    const idle = health.idle as number[];
    const samples = health.samples as number[];
    const p99 = percentile(samples, 99);
    console.log(`\nGET /health while background removals (1024² photo) run back to back through the server (${health.removals} removals, ${samples.length} health checks; load ${loadAverage()})`);
    console.table([
      { case: 'idle server', 'p50 ms': percentile(idle, 50).toFixed(1), 'p99 ms': percentile(idle, 99).toFixed(1), 'max ms': Math.max(...idle).toFixed(1), goal: '' },
      { case: 'during removals', 'p50 ms': percentile(samples, 50).toFixed(1), 'p99 ms': p99.toFixed(1), 'max ms': Math.max(...samples).toFixed(1), goal: `p99 ≤ 15 ms: ${goal(p99 <= 15)}` },
    ]);
    console.log(
      `main-thread CPU per removal, HTTP, engine and the health checks included: ${(health.busyPerRemoval as number).toFixed(0)} ms; ` +
        `event-loop delay meanwhile: p99 ${(health.delayP99 as number).toFixed(1)} ms, max ${(health.delayMax as number).toFixed(1)} ms`,
    );
  }

  // 4. Peak RSS of 32 concurrent 1-megapixel enhance requests, pixel budget on (default) vs off (old), in the order A B B A.
  if (parts.includes('4')) {
    const settings = [
      ['pixel budget (default)', 'default'],
      ['no budget (old)', 'none'],
    ] as const;
    const replies: Reply[][] = settings.map(() => []);
    for (const index of [0, 1, 1, 0]) replies[index]!.push(await run('enhance', { MODEL_MEMORY_BUDGET: settings[index]![1] }));
    const walls = replies.map((list) => mean(list.map((reply) => reply.wall as number)));
    const first = replies[0]![0]!;
    console.log(`\n${first.concurrent} concurrent enhance requests on a ${first.input} photo through the local provider, each setting twice in a child process of its own (A B B A; load ${loadAverage()})`);
    console.table(
      settings.map(([name], index) => {
        const peak = Math.max(...replies[index]!.map((reply) => reply.peak as number));
        const baseline = mean(replies[index]!.map((reply) => reply.baseline as number));
        return {
          setting: name,
          'RSS before': megabytes(baseline),
          'peak RSS': megabytes(peak),
          'peak − before': megabytes(peak - baseline),
          'decoded pixels': megabytes(first.decoded as number),
          'added ÷ decoded': ((peak - baseline) / (first.decoded as number)).toFixed(2),
          'wall ms (all 32)': walls[index]!.toFixed(0),
          'wall ÷ no budget': (walls[index]! / walls[1]!).toFixed(2),
          'goal: peak ≤ 400 MB': goal(peak <= 400 * 2 ** 20),
        };
      }),
    );
  }
}

if (child === 'removals') await removalsChild();
else if (child === 'speed') await speedChild();
else if (child === 'health') await healthChild();
else if (child === 'enhance') await enhanceChild();
else await parent();

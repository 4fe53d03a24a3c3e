// Cold start: spawn to the first 200 of GET /health for `darkroom serve` (the built CLI, SQLite in a
// temporary data directory) against a bare Hono server spawned the same way, runs interleaved; and
// `darkroom --help` and `darkroom help run` (through the installed bin, bin/darkroom.js) against a bare `node -e 0`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mean, row } from './measure.ts';

const runs = Number(process.env.BENCH_COLD_RUNS ?? 7);
// BENCH_COLD_CLI=<path of another build's dist/cli.js> measures that build instead (e.g. a worktree of an older commit).
const cli = process.env.BENCH_COLD_CLI ?? join(import.meta.dirname, '../packages/server/dist/cli.js');
// BENCH_COLD_COMPARE=<path of another build's dist/cli.js> measures that build too, interleaved in the same runs (before/after a change).
const other = process.env.BENCH_COLD_COMPARE;
const bareServer = join(import.meta.dirname, 'bare-hono-server.mjs');
// The file npm links as `darkroom` (it imports dist/cli.js); measured for this build only.
const bin = join(import.meta.dirname, '../packages/server/bin/darkroom.js');
// The children run plain node on built JavaScript, with none of this shell's Darkroom or provider settings.
const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DARKROOM_|PORT$|HOST$|GEMINI_|PARASAIL_|RUNWARE_|CLOUDINARY_|NODE_OPTIONS$)/.test(name)));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const healthStatus = (port: number) =>
  new Promise<number>((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', () => resolve(0));
  });

/** CPU milliseconds (user + system) a running process has used, from /proc (Linux; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime and stime, in 1/100 s
  } catch {
    return Number.NaN;
  }
}

/**
 * Milliseconds from spawning `args` with PORT set to the first 200 of GET /health (polled every 2 ms),
 * and the CPU time the process used until then (steadier than wall time on a busy machine).
 */
async function timeToHealth(args: string[], env: Record<string, string> = {}): Promise<{ wall: number; cpu: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...environment, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    while ((await healthStatus(port)) !== 200) {
      if (gone) throw new Error(`${args.join(' ')} exited before /health answered: ${stderr.slice(-2000)}`);
      if (performance.now() - started > 60_000) throw new Error(`${args.join(' ')}: no 200 from /health within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return { wall: performance.now() - started, cpu: cpuMs(child.pid!) };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Milliseconds from spawning `args` to its exit (which must be 0). */
async function timeToExit(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: environment, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return performance.now() - started;
}

type Samples = { wall: number[]; cpu: number[] };
const samples = (): Samples => ({ wall: [], cpu: [] });
const [bare, fresh, restart, otherFresh, otherRestart] = [samples(), samples(), samples(), samples(), samples()];
const nodeOnly: number[] = [];
const help: number[] = [];
const otherHelp: number[] = [];
const commandHelp: number[] = [];
const keep = (into: Samples, sample: { wall: number; cpu: number }) => (into.wall.push(sample.wall), into.cpu.push(sample.cpu));
for (let run = -1; run < runs; run += 1) {
  // Run -1 warms the file-system cache and is not counted.
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-cold-'));
  const otherDataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-cold-'));
  try {
    const started = [
      await timeToHealth([bareServer]),
      await timeToHealth([cli, 'serve'], { DARKROOM_DATA_DIR: dataDir }),
      await timeToHealth([cli, 'serve'], { DARKROOM_DATA_DIR: dataDir }),
      ...(other ? [await timeToHealth([other, 'serve'], { DARKROOM_DATA_DIR: otherDataDir }), await timeToHealth([other, 'serve'], { DARKROOM_DATA_DIR: otherDataDir })] : []),
    ];
    const exited = [await timeToExit(['-e', '0']), await timeToExit([cli, '--help']), ...(other ? [await timeToExit([other, '--help'])] : [])];
    const binHelp = process.env.BENCH_COLD_CLI ? undefined : await timeToExit([bin, 'help', 'run']);
    if (run < 0) continue;
    [bare, fresh, restart, otherFresh, otherRestart].forEach((into, index) => started[index] && keep(into, started[index]));
    nodeOnly.push(exited[0]!);
    help.push(exited[1]!);
    if (other) otherHelp.push(exited[2]!);
    if (binHelp !== undefined) commandHelp.push(binHelp);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(otherDataDir, { recursive: true, force: true });
  }
}

const goal = (text: string, met: boolean) => ({ goal: text, met: met ? 'yes' : 'NO' });
const server = (name: string, run: Samples, baseline?: Samples) => ({
  ...row(name, run.wall, baseline?.wall),
  'CPU ms to 200': mean(run.cpu).toFixed(0),
  'CPU ratio': baseline ? (mean(run.cpu) / mean(baseline.cpu)).toFixed(2) : '1.00',
  ...(baseline ? goal('≤ 500 ms and ≤ 2.5× bare', mean(run.wall) <= 500 && mean(run.wall) <= 2.5 * mean(baseline.wall)) : { goal: '', met: '' }),
});
console.log(`\nCold start: spawn to the first 200 of GET /health, and to the exit of --help (${runs} interleaved runs, built JavaScript, no provider keys${process.env.BENCH_COLD_CLI ? `; ${cli}` : ''}${other ? `; "compared" rows: ${other}` : ''})`);
console.table([
  server('bare Hono hello-world server (bench/bare-hono-server.mjs)', bare),
  server('darkroom serve, empty data directory (creates the SQLite database)', fresh, bare),
  server('darkroom serve, existing data directory (a restart)', restart, bare),
  ...(other ? [server('compared: darkroom serve, empty data directory', otherFresh, bare), server('compared: darkroom serve, a restart', otherRestart, bare)] : []),
  { ...row('node -e 0', nodeOnly), goal: '', met: '' },
  { ...row('darkroom --help', help, nodeOnly), ...goal('≤ 300 ms', mean(help) <= 300) },
  ...(other ? [{ ...row('compared: darkroom --help', otherHelp, nodeOnly), ...goal('≤ 300 ms', mean(otherHelp) <= 300) }] : []),
  ...(commandHelp.length ? [{ ...row('darkroom help run (bin/darkroom.js, as npm links it)', commandHelp, nodeOnly), ...goal('≤ 300 ms', mean(commandHelp) <= 300) }] : []),
]);

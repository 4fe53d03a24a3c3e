// A real `darkroom` CLI process (serve or worker) started from source, as an operator would run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '../cli.ts');

/** Settings of the test runner's environment that would change what a Darkroom process does. */
const inherited = (environment: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(environment).filter(([name]) => !/^(DARKROOM_|PORT$|HOST$|GEMINI_|PARASAIL_|RUNWARE_|CLOUDINARY_)/.test(name)));

export interface DarkroomProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when it serves (serve: its base URL) or takes jobs (worker: ''); rejects if it exits first. */
  readonly ready: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM (drain), waiting for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node --conditions=darkroom-source --import tsx packages/server/src/cli.ts <args>` with `env` on top
 * of the runner's environment (less its DARKROOM_* and provider settings), in `options.cwd` (default: the
 * runner's working directory).
 */
export function startDarkroomProcess(name: string, args: string[], env: Record<string, string>, options: { cwd?: string } = {}): DarkroomProcess {
  const child = spawn(process.execPath, ['--conditions=darkroom-source', '--import', import.meta.resolve('tsx'), cli, ...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { ...inherited(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string>((resolve, reject) => {
    const look = () => {
      const url = /"message":"darkroom listening"[^\n]*"url":"(http:\/\/[^"]+)"/.exec(stdout)?.[1];
      if (url) resolve(url);
      else if (stdout.includes('"message":"darkroom worker running"')) resolve('');
    };
    child.stdout!.on('data', look);
    void exited.then(({ code, signal }) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready: ${stderr.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    name,
    child,
    pid: child.pid!,
    ready,
    exited,
    output: () => ({ stdout, stderr }),
    kill: () => kill('SIGKILL'),
    stop: () => kill('SIGTERM'),
  };
}

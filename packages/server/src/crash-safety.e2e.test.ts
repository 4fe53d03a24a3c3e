import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '@darkroom/core';
import { afterAll, expect, it } from 'vitest';

const child = join(import.meta.dirname, 'testing/crash-child.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-crash-'));
const log = join(dataDir, 'steps.log');

function start(env: Record<string, string>): { process: ChildProcess; output: Promise<string> } {
  const processHandle = spawn(process.execPath, ['--conditions=darkroom-source', '--import', 'tsx', child], {
    env: { ...process.env, CRASH_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  processHandle.stdout!.on('data', (chunk) => (stdout += chunk));
  processHandle.stderr!.on('data', (chunk) => (stderr += chunk));
  const output = new Promise<string>((resolve, reject) => {
    processHandle.on('exit', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(stdout) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
  return { process: processHandle, output: Object.assign(output, { stdout: () => stdout }) };
}

const logLines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('survives SIGKILL mid-step: every job ends, no finished step re-runs, nothing is duplicated', { timeout: 120_000 }, async () => {
  const first = start({ CRASH_SUBMIT: '1' });
  let submitted: { jobs: string[]; turns: Array<{ session: string; message: string }> } | undefined;
  first.process.stdout!.on('data', (chunk: Buffer) => {
    const line = chunk.toString().split('\n').find((text) => text.startsWith('{'));
    if (line) submitted = JSON.parse(line);
  });
  // Kill once some steps have finished and others are running.
  const deadline = Date.now() + 60_000;
  while (logLines().filter((line) => line.startsWith('step.succeeded')).length < 4) {
    if (Date.now() > deadline) throw new Error(`no progress: ${logLines().join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  first.process.kill('SIGKILL');
  await first.output;
  expect(submitted?.jobs).toHaveLength(5);
  const beforeRestart = logLines();
  const running = beforeRestart.filter((line) => line.startsWith('step.started')).length - beforeRestart.filter((line) => line.startsWith('step.succeeded')).length;
  expect(running).toBeGreaterThan(0);

  const second = start({ CRASH_WAIT: JSON.stringify(submitted!.jobs) });
  expect(await second.output).toContain('done');

  // No step that had succeeded was started again.
  const succeededAt = new Map<string, number>();
  logLines().forEach((line, index) => {
    const [type, job, step] = line.split(' ');
    const key = `${job} ${step}`;
    if (type === 'step.succeeded' && !succeededAt.has(key)) succeededAt.set(key, index);
    if (type === 'step.started') expect(succeededAt.has(key), `${key} re-ran after it had succeeded`).toBe(false);
  });

  const database = await createDatabase({ kind: 'sqlite', filename: join(dataDir, 'darkroom.db') });
  try {
    const jobs = await database.db.selectFrom('jobs').selectAll().execute();
    expect(jobs.map((job) => [job.state, job.error])).toEqual(jobs.map(() => ['succeeded', null]));
    expect(jobs.some((job) => job.stalls > 0)).toBe(true);
    const gallery = await database.db.selectFrom('gallery').selectAll().execute();
    expect(gallery).toHaveLength(3 * 2 + 2);
    const assets = await database.db.selectFrom('assets').selectAll().execute();
    expect(assets).toHaveLength(gallery.length);
    expect(new Set(gallery.map((row) => row.asset_id)).size).toBe(gallery.length);
    const messages = await database.db.selectFrom('messages').selectAll().execute();
    expect(messages.filter((message) => message.role === 'assistant')).toHaveLength(3);
    expect(messages.filter((message) => message.role === 'user')).toHaveLength(3);
    for (const turn of submitted!.turns) {
      const reply = messages.find((message) => message.id === turn.message)!;
      expect(reply.status).toBe('DONE');
      expect(JSON.parse(reply.data).images).toHaveLength(2);
    }
  } finally {
    await database.close();
  }
});

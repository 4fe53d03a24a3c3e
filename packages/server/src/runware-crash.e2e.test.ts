import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '@darkroom/core';
import { afterAll, expect, it } from 'vitest';
import { startFakeRunware } from '../../providers/runware/src/testing-fake-runware.js';

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-runware-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function child(env: Record<string, string>) {
  const processHandle = spawn(process.execPath, ['--conditions=darkroom-source', '--import', 'tsx', join(import.meta.dirname, 'testing/runware-child.ts')], {
    env: { ...process.env, CHILD_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  processHandle.stdout!.on('data', (chunk) => (stdout += chunk));
  processHandle.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve, reject) => processHandle.on('exit', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`)))));
  return { processHandle, exited, lines: () => stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, string>) };
}

it('a job killed after Runware accepted its task resumes without a second paid call', { timeout: 120_000 }, async () => {
  const fake = await startFakeRunware();
  try {
    fake.acceptThenHang = true;
    const env = { CHILD_RUNWARE_KEY: fake.key, CHILD_RUNWARE_URL: fake.url };
    const first = child({ ...env, CHILD_SUBMIT: '1' });
    const deadline = Date.now() + 60_000;
    while (fake.tasks.length === 0 || first.lines().length === 0) {
      if (Date.now() > deadline) throw new Error('Runware never received the task');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.processHandle.kill('SIGKILL');
    await first.exited;
    const { job } = first.lines()[0]!;
    expect(fake.tasks.map((task) => task.taskType)).toEqual(['imageInference']);

    const second = child({ ...env, CHILD_WAIT: job! });
    await second.exited;
    expect(second.lines().at(-1)).toEqual({ state: 'succeeded', provider: 'runware' });
    expect(fake.tasks.map((task) => task.taskType)).toEqual(['imageInference', 'getTaskDetails']);

    const database = await createDatabase({ kind: 'sqlite', filename: join(dataDir, 'darkroom.db') });
    try {
      expect(await database.db.selectFrom('gallery').select(['provider']).execute()).toEqual([{ provider: 'runware' }]);
      const [step] = await database.db.selectFrom('job_steps').selectAll().execute();
      expect(step).toMatchObject({ status: 'succeeded', attempt: 2 });
      expect(JSON.parse(step!.state!)).toEqual({ 'call-0:runware:taskUUID': fake.tasks[0]!.taskUUID });
    } finally {
      await database.close();
    }
  } finally {
    await fake.close();
  }
});

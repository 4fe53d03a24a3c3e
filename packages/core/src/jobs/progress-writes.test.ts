import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/create-engine.js';
import { createDatabase } from '../store/create-database.js';
import { createInstantProvider, testPlugin } from '../testing/test-plugin.js';

describe('progress writes', () => {
  async function progressWrites(progressWriteMs?: number) {
    const statements: string[] = [];
    const database = await createDatabase({ kind: 'memory', onQuery: (sql) => statements.push(sql) });
    const engine = await createEngine({ store: database, plugins: [testPlugin], providers: [createInstantProvider()], runner: { ...(progressWriteMs !== undefined ? { progressWriteMs } : {}) } });
    const percents: number[] = [];
    engine.on((event) => event.type === 'job.progress' && percents.push(event.progress));
    try {
      const result = await engine.run('paint', { prompt: 'a boat' }, { userId: 'u1' });
      expect((await engine.jobs.get('u1', result.jobId)).progress).toBe(100);
      return { writes: statements.filter((sql) => /^update "jobs" set "progress"/.test(sql)).length, percents };
    } finally {
      await engine.close();
      await database.close();
    }
  }

  it('a short job publishes every percent but stores none (its end stores 100)', async () => {
    const { writes, percents } = await progressWrites();
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(writes).toBe(0);
  });

  it('stores each percent when told to write at once', async () => {
    const { writes, percents } = await progressWrites(0);
    expect(writes).toBe(percents.length);
  });
});

import { solidPng } from '@darkroom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatedProvider, sketchPlugin } from './testing/gated-provider.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

// Ann's sketches wait on a gate (a slow provider); bob's enhance runs on the local provider at once.
const gated = createGatedProvider();
let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({
    engine: {
      plugins: [sketchPlugin],
      providers: [gated.provider],
      routing: { 'text-to-image': ['gated'] },
      runner: { pollMs: 20, concurrency: 3, maxRunningPerUser: 2 },
      jobs: { maxQueuedPerUser: 4 },
    },
  });
});
afterAll(() => test.close());

async function until(check: () => boolean | Promise<boolean>) {
  for (let tries = 0; tries < 500 && !(await check()); tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}

const sketch = async (prompt: string) => test.call('ann', 'POST', '/v1/features/sketch', { prompt }, { prefer: 'respond-async' });

describe('one user cannot starve another', () => {
  it("runs bob's synchronous request while ann's backlog waits, and refuses ann's submit beyond her queued limit with 429 and Retry-After", async () => {
    const accepted: string[] = [];
    for (const prompt of ['boat 1', 'boat 2']) accepted.push((await (await sketch(prompt)).json()).job_id);
    await until(() => gated.calls.started === 2);
    for (const prompt of ['boat 3', 'boat 4', 'boat 5', 'boat 6']) {
      const response = await sketch(prompt);
      expect(response.status).toBe(202);
      accepted.push((await response.json()).job_id);
    }

    const refused = await sketch('boat 7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const { error } = await refused.json();
    expect(error).toMatchObject({ code: 'rate_limited', details: { limit: 4 } });
    expect(error.message).toMatch(/4 jobs waiting to run.*retry after \d+ s.*cancel/);

    const image = `data:image/png;base64,${Buffer.from(await solidPng(32, 32)).toString('base64')}`;
    const bob = await test.call('bob', 'POST', '/v1/features/enhance', { image });
    expect(bob.status).toBe(200);
    expect((await bob.json()).images).toHaveLength(1);

    // Bob finished before ann's backlog moved: she still holds her two slots and nothing more.
    const states = await Promise.all(accepted.map(async (id) => (await (await test.call('ann', 'GET', `/v1/jobs/${id}`)).json()).state));
    expect(states).toEqual(['running', 'running', 'queued', 'queued', 'queued', 'queued']);
    expect(gated.calls.started).toBe(2);

    gated.open();
    for (const id of accepted) expect((await test.engine.jobs.wait('ann', id)).state).toBe('succeeded');
    expect((await sketch('boat 8')).status).toBe(202);
  });
});

// Faults of the distributed engine, with real processes started through the real CLI (see
// distributed.e2e.test.ts and testing/distributed-cluster.ts): a worker SIGKILLed mid-step with 100
// chat turns in flight, and the redis-server SIGKILLed and restarted under load. The lease is short
// (DARKROOM_JOB_LEASE_MS=3000) so that a dead worker's jobs come back within seconds.
import { afterEach, describe, expect, it } from 'vitest';
import { callApi, slowLocalRouting, startCluster, type Cluster, type LoggedEvent } from './testing/distributed-cluster.js';
import { distributedServicesAvailable } from './testing/distributed-services.js';

const available = await distributedServicesAvailable();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` for each index, at most `width` at once. */
async function inBatches<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  }));
  return results;
}

/** Polls the jobs through the API until every one is terminal; answers them by id. */
async function waitForJobs(base: string, ids: string[], timeoutMs: number): Promise<Map<string, any>> {
  const done = new Map<string, any>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < ids.length) {
    if (Date.now() > deadline) throw new Error(`${ids.length - done.size} of ${ids.length} jobs not terminal after ${timeoutMs} ms`);
    await inBatches(ids.length, 16, async (index) => {
      const id = ids[index]!;
      if (done.has(id)) return;
      const { status, body } = await callApi(base, 'GET', `/v1/jobs/${id}`);
      if (status === 200 && ['succeeded', 'failed', 'cancelled'].includes(body.state)) done.set(id, body);
    });
    if (done.size < ids.length) await sleep(250);
  }
  return done;
}

/** `job step` of the log's step events of one type, optionally of one process. */
const steps = (events: LoggedEvent[], type: string, pid?: number) => events.filter((event) => event.type === type && (pid === undefined || event.pid === pid)).map((event) => `${event.jobId} ${event.step}`);
const isProviderStep = (key: string) => / step-\d+:/.test(key);

describe.skipIf(!available)('faults with one API process and two workers on PostgreSQL and Redis', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  }, 60_000);

  it('a worker SIGKILLed mid-step with 100 chat turns in flight: all 100 end, nothing duplicated, no finished step runs again', { timeout: 180_000 }, async () => {
    cluster = await startCluster({
      workers: [8, 8],
      env: { DARKROOM_ROUTING: slowLocalRouting, DARKROOM_TEST_PROVIDER_DELAY_MS: '400', DARKROOM_JOB_LEASE_MS: '3000' },
    });
    const { url } = cluster;
    const [victim, survivor] = cluster.workers as [NonNullable<Cluster>['workers'][number], NonNullable<Cluster>['workers'][number]];
    const turns = await inBatches(100, 25, async (index) => {
      const session = (await callApi(url, 'POST', '/api/v1/chat/sessions', {})).body.session_id as string;
      const sent = await callApi(url, 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: `create a 128x128 sunset over mountains, lake ${index}, then upscale it 2x` });
      expect(sent.status).toBe(202);
      return { session, messageId: sent.body.message_id as string, jobId: sent.body.job_id as string };
    });

    // Kill once the victim has finished provider steps and is in the middle of others.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const events = cluster.events();
      const finished = steps(events, 'step.succeeded', victim.pid);
      const running = steps(events, 'step.started', victim.pid).filter((key) => isProviderStep(key) && !finished.includes(key));
      if (finished.filter(isProviderStep).length >= 4 && running.length >= 2) break;
      if (Date.now() > deadline) throw new Error(`the victim made no progress: ${events.length} events`);
      await sleep(10);
    }
    // Every step the victim wrote started before this; every step the survivor ran again, after it.
    const killedAt = Date.now();
    await victim.kill();
    const atKill = cluster.events();
    const finishedOnVictim = steps(atKill, 'step.succeeded', victim.pid);
    const inFlight = [...new Set(steps(atKill, 'step.started', victim.pid).filter((key) => !finishedOnVictim.includes(key)))];
    expect(inFlight.filter(isProviderStep).length).toBeGreaterThan(0);
    // The turns were in flight: most had not ended.
    expect(atKill.filter((event) => event.type === 'job.succeeded').length).toBeLessThan(50);

    const jobs = await waitForJobs(url, turns.map((turn) => turn.jobId), 150_000);
    expect([...jobs.values()].map((job) => job.state)).toEqual(turns.map(() => 'succeeded'));

    const events = cluster.events();
    // No step that had succeeded (in any process) was started again, in the one order of the shared log.
    const succeeded = new Set<string>();
    for (const event of events) {
      const key = `${event.jobId} ${event.step}`;
      if (event.type === 'step.succeeded') succeeded.add(key);
      if (event.type === 'step.started') expect(succeeded.has(key), `${key} started again after it had succeeded`).toBe(false);
    }
    // The steps in flight at the kill: each either had finished (its end committed by the victim, the
    // kill landing before the process logged step.succeeded) and was not run again, or was cut short
    // and ran again on the survivor, which wrote it (a step's row is written at its end, so a run cut
    // short leaves none: the survivor's run started after the kill).
    const rerun = new Set(steps(events, 'step.started', survivor.pid));
    const written = new Map(
      (await cluster.database.query<{ job_id: string; step_key: string; attempt: number; status: string; started_at: string }>('select job_id, step_key, attempt, status, started_at from job_steps')).map((row) => [
        `${row.job_id} ${row.step_key}`,
        { ...row, ranAfterKill: Number(row.started_at) >= killedAt },
      ]),
    );
    for (const key of finishedOnVictim) expect(written.get(key), key).toMatchObject({ attempt: 1, status: 'succeeded', ranAfterKill: false });
    const cutShort = inFlight.filter((key) => written.get(key)?.ranAfterKill !== false);
    for (const key of inFlight) {
      const why = `${key}: ${JSON.stringify(written.get(key))}; ${JSON.stringify(events.filter((event) => key.startsWith(`${event.jobId} `)))}`;
      if (cutShort.includes(key)) {
        expect(rerun.has(key), `cut short but not run again: ${why}`).toBe(true);
        expect(written.get(key), why).toMatchObject({ status: 'succeeded', ranAfterKill: true });
      } else {
        expect(rerun.has(key), `finished on the victim, yet run again: ${why}`).toBe(false);
      }
    }
    expect(cutShort.filter(isProviderStep).length).toBeGreaterThan(0);

    // Exactly once: two gallery rows and two assets per turn, one user message and one reply per turn.
    const [gallery] = await cluster.database.query<{ rows: string; keys: string; sessions: string }>('select count(*) as rows, count(distinct effect_key) as keys, count(distinct session_id) as sessions from gallery');
    expect(gallery).toEqual({ rows: '200', keys: '200', sessions: '100' });
    const [assets] = await cluster.database.query<{ rows: string; keys: string }>('select count(*) as rows, count(distinct effect_key) as keys from assets');
    expect(assets).toEqual({ rows: '200', keys: '200' });
    const messages = await cluster.database.query<{ role: string; status: string | null; rows: string; sessions: string }>(
      'select role, status, count(*) as rows, count(distinct session_id) as sessions from messages group by role, status order by role',
    );
    expect(messages).toEqual([
      { role: 'assistant', status: 'DONE', rows: '100', sessions: '100' },
      { role: 'user', status: null, rows: '100', sessions: '100' },
    ]);
    for (const turn of turns.slice(0, 10)) {
      const reply = (await callApi(url, 'GET', `/api/v1/chat/sessions/${turn.session}/messages/${turn.messageId}`)).body;
      expect(reply).toMatchObject({ status: 'DONE', content: 'Done: generate → upscale. Your image is 256×256.' });
      expect(reply.images).toHaveLength(2);
    }
    process.stdout.write(
      `worker SIGKILL: 100 turns, ${finishedOnVictim.length} steps finished on the victim before the kill, ${inFlight.length} in flight (${cutShort.length} cut short and run again on the survivor), ` +
        `${[...jobs.values()].filter((job) => job.attempt > 1).length} jobs taken up again; all 100 succeeded\n`,
    );
  });

  it('redis-server SIGKILLed and restarted under load: no acknowledged job is lost, every one succeeds', { timeout: 180_000 }, async () => {
    cluster = await startCluster({
      workers: [4, 4],
      env: { DARKROOM_ROUTING: slowLocalRouting, DARKROOM_TEST_PROVIDER_DELAY_MS: '150', DARKROOM_JOB_LEASE_MS: '3000' },
    });
    const { url, redis } = cluster;
    const accepted: Array<{ jobId: string; sentAt: number; answeredAt: number }> = [];
    const refused: string[] = [];
    let loading = true;
    const sessions = await inBatches(4, 4, async () => (await callApi(url, 'POST', '/api/v1/chat/sessions', {})).body.session_id as string);
    // Six clients keep the workers busy: direct generations and chat turns, asynchronously.
    const load = Promise.all(
      Array.from({ length: 6 }, async (_, client) => {
        for (let index = 0; loading; index += 1) {
          const sentAt = Date.now();
          try {
            const reply =
              client % 2 === 0
                ? await callApi(url, 'POST', '/v1/features/image-generation', { prompt: `a kite ${client}-${index}`, width: 64, height: 64 }, { prefer: 'respond-async' })
                : await callApi(url, 'POST', `/api/v1/chat/sessions/${sessions[client % 4]}/messages`, { content: `create a 64x64 red kite ${client}-${index}, then upscale it 2x` });
            if (reply.status === 202) accepted.push({ jobId: reply.body.job_id, sentAt, answeredAt: Date.now() });
            else refused.push(`${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
          } catch (error) {
            refused.push(String(error));
          }
          await sleep(200);
        }
      }),
    );
    await sleep(3_000);
    const beforeKill = accepted.length;
    await redis.kill();
    const killedAt = Date.now();
    // Down for longer than the lease: the running jobs' locks are gone when it is back.
    await sleep(4_000);
    await redis.start();
    const restartedAt = Date.now();
    await sleep(3_000);
    loading = false;
    await load;

    expect(beforeKill).toBeGreaterThan(10);
    // Submits in flight while Redis was down waited for it and were acknowledged after the restart.
    const acrossOutage = accepted.filter((job) => job.sentAt < restartedAt && job.answeredAt > killedAt);
    expect(acrossOutage.length).toBeGreaterThan(0);
    expect(accepted.filter((job) => job.sentAt > restartedAt).length).toBeGreaterThan(0);
    expect(refused).toEqual([]);

    const ids = accepted.map((job) => job.jobId);
    expect(new Set(ids).size).toBe(ids.length);
    const jobs = await waitForJobs(url, ids, 150_000);
    const states = [...jobs.values()].reduce<Record<string, number>>((counts, job) => ({ ...counts, [job.state]: (counts[job.state] ?? 0) + 1 }), {});
    expect(states).toEqual({ succeeded: ids.length });
    // Every job made its images (a chat turn two, a generation one), each recorded once in the gallery.
    const rows = await cluster.database.query<{ id: string; effect_key: string }>('select id, effect_key from gallery');
    expect(new Set(rows.map((row) => row.effect_key)).size).toBe(rows.length);
    const recorded = new Set(rows.map((row) => row.id));
    const incomplete = [...jobs.values()]
      .map((job) => ({ job, images: (job.result?.images ?? []) as Array<{ gallery_id: string }> }))
      .filter(({ job, images }) => images.length !== (job.kind === 'chat' ? 2 : 1) || images.some((image) => !recorded.has(image.gallery_id)))
      .map(({ job, images }) => `${job.id} ${job.kind} attempt ${job.attempt}: ${images.length} images, ${JSON.stringify(job.result).slice(0, 300)}`);
    expect(incomplete).toEqual([]);
    const turnsMade = [...jobs.values()].filter((job) => job.kind === 'chat').length;
    expect(rows.length).toBe(ids.length + turnsMade);
    // Jobs running when Redis went down lost their locks and ran again, from their checkpoints.
    const runAgain = [...jobs.values()].filter((job) => job.attempt > 1).length;
    expect(runAgain).toBeGreaterThan(0);
    process.stdout.write(
      `redis SIGKILL (down ${restartedAt - killedAt} ms): ${ids.length} jobs acknowledged (${beforeKill} before the kill, ${acrossOutage.length} submits in flight across the outage), ` +
        `${runAgain} run again; all succeeded, ${refused.length} submits refused\n`,
    );
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLocalAssetStorage, createPostgresEventTransport, type Engine, type EventTransport } from '@darkroom/core';
import { postgresUrl, testDatabases, type TestDatabase } from '@darkroom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../create-default-engine.js';
import { readEvents } from '../testing/gated-provider.js';
import { chelseaDataUri, startTestServer, type TestServer } from '../testing/test-server.js';

const postgres = (await testDatabases()).find((database) => database.name === 'postgres');

/**
 * An API server (runner not started) and a worker engine in other "processes": one PostgreSQL
 * schema, one asset directory, a PostgreSQL event transport each on one channel. The server's
 * re-read interval is a minute, so what its streams tell of the worker's job came as events.
 */
describe.runIf(postgres)('event streams of work another process runs (PostgreSQL transport)', () => {
  let database: Awaited<ReturnType<TestDatabase['open']>>;
  let assets: string;
  let front: TestServer;
  let worker: Engine;
  const transports: EventTransport[] = [];

  beforeAll(async () => {
    database = await postgres!.open();
    assets = mkdtempSync(join(tmpdir(), 'darkroom-cross-process-'));
    const channel = `darkroom_streams_${randomBytes(6).toString('hex')}`;
    for (let index = 0; index < 2; index += 1) transports.push(createPostgresEventTransport({ connectionString: postgresUrl, channel }));
    await Promise.all(transports.map((transport) => transport.ready()));
    const shared = { store: database, storage: createLocalAssetStorage({ directory: assets }) };
    front = await startTestServer({ engine: { ...shared, events: transports[0]!, runner: { autoStart: false } }, server: { eventPollMs: 60_000 } });
    worker = await createDefaultEngine({ ...shared, events: transports[1]!, runner: { pollMs: 20 } });
  });
  afterAll(async () => {
    await front?.close();
    await worker?.close();
    await Promise.all(transports.map((transport) => transport.close()));
    await database?.dispose();
    rmSync(assets, { recursive: true, force: true });
  });

  it('a job stream shows the worker\'s steps and progress live and ends with the result', async () => {
    const accepted = (await (await front.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { prefer: 'respond-async' })).json()) as { job_id: string; events_url: string };
    // From the job's first event (Last-Event-ID: 0): the worker may start the job before the stream opens.
    const { events, ended } = await readEvents(await front.call('ann', 'GET', accepted.events_url, undefined, { 'last-event-id': '0' }));
    expect(ended).toBe(true);
    const names = events.map((event) => event.event);
    expect(names).toEqual(expect.arrayContaining(['job.started', 'step.started', 'step.succeeded', 'job.succeeded']));
    expect(names.indexOf('step.started')).toBeLessThan(names.indexOf('job.succeeded'));
    expect(names.filter((name) => name === 'job.succeeded')).toHaveLength(1);
    expect(events.at(-1)!.data).toMatchObject({ job_id: accepted.job_id, result: { images: [expect.objectContaining({ asset_id: expect.any(String) })] } });
  });

  it('a session stream tells the turn a worker finished, with its job\'s events, without re-reading', async () => {
    const { session_id: session } = (await (await front.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()) as { session_id: string };
    const stream = await front.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`);
    const sent = (await (await front.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'enhance this photo', image: chelseaDataUri })).json()) as { message_id: string; job_id: string };
    const { events } = await readEvents(stream, (event) => event.event === 'message.updated' && event.data.status !== 'PROCESSING');
    expect(events[0]!.event).toBe('snapshot');
    expect(events.some((event) => event.event === 'step.succeeded' && event.data.job_id === sent.job_id)).toBe(true);
    expect(events.at(-1)!.data).toMatchObject({ session_id: session, message_id: sent.message_id, job_id: sent.job_id, status: 'DONE' });
  });
});

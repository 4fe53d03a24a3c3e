import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, featureRunProgress } from '@darkroom/core';
import { createDefaultEngine } from '../create-default-engine.js';
import { createGatedProvider, readEvents, sketchPlugin } from '../testing/gated-provider.js';
import { chelseaDataUri, startTestServer, waitForMessage, type TestServer } from '../testing/test-server.js';

const gated = createGatedProvider();
let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ engine: { plugins: [sketchPlugin], providers: [gated.provider], routing: { 'text-to-image': ['gated'] } }, server: { heartbeatMs: 50 } });
});
afterAll(() => test.close());

describe('job events (SSE)', () => {
  it('streams progress and steps, and resumes after a disconnect with exactly the missed events', async () => {
    gated.reset();
    const accepted = await (await test.call('ann', 'POST', '/v1/features/sketch', { prompt: 'a jazz night' }, { prefer: 'respond-async' })).json();
    await gated.started();
    const first = await test.call('ann', 'GET', accepted.events_url);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const before = await readEvents(first, (event) => event.event === 'snapshot');
    expect(before.events[0]!.data).toMatchObject({ id: accepted.job_id, state: 'running' });
    const seenUpTo = Number(before.events[0]!.id);

    gated.open();
    await test.engine.jobs.wait('ann', accepted.job_id);

    const resumed = await test.call('ann', 'GET', accepted.events_url, undefined, { 'last-event-id': String(seenUpTo) });
    const after = await readEvents(resumed);
    expect(after.ended).toBe(true);
    const names = after.events.map((event) => event.event);
    expect(before.events[0]!.data.progress).toBeGreaterThan(0);
    // Missed since the snapshot: the engine's stages after the provider answered, then the end.
    expect(names).toEqual(['job.progress', 'job.progress', 'step.succeeded', 'job.succeeded']);
    expect(after.events.filter((event) => event.event === 'job.progress').map((event) => event.data.progress)).toEqual([featureRunProgress.providerAnswered, featureRunProgress.resultStored]);
    expect(after.events.map((event) => Number(event.id))).toEqual(after.events.map((_, index) => seenUpTo + 1 + index));
    expect(after.events.at(-1)!.data.result.images).toHaveLength(1);

    const lastId = after.events.at(-1)!.id;
    const caughtUp = await readEvents(await test.call('ann', 'GET', accepted.events_url, undefined, { 'last-event-id': lastId }));
    expect(caughtUp.events.map((event) => event.event)).toEqual(['snapshot']);
    expect(caughtUp.events[0]!.data.state).toBe('succeeded');
    const unknown = await readEvents(await test.call('ann', 'GET', `${accepted.events_url}?last_event_id=999999`));
    expect(unknown.events.map((event) => [event.event, event.data.state])).toEqual([['snapshot', 'succeeded']]);
  });

  it('streams a live job from the start to its final event, with heartbeats in between', async () => {
    gated.reset();
    const accepted = await (await test.call('ann', 'POST', '/v1/features/sketch', { prompt: 'a folk night' }, { prefer: 'respond-async' })).json();
    const stream = await test.call('ann', 'GET', accepted.events_url);
    setTimeout(() => gated.open(), 200);
    const { events, ended } = await readEvents(stream);
    expect(ended).toBe(true);
    expect(events[0]!.event).toBe('snapshot');
    expect(events.map((event) => event.event)).toEqual(expect.arrayContaining(['job.progress', 'job.succeeded']));
  });

  it('a cancelled job stream ends with job.cancelled, and the provider call was aborted', async () => {
    gated.reset();
    const accepted = await (await test.call('ann', 'POST', '/v1/features/sketch', { prompt: 'never' }, { prefer: 'respond-async' })).json();
    await gated.started();
    const stream = await test.call('ann', 'GET', accepted.events_url);
    const aborted = gated.calls.aborted;
    expect((await (await test.call('ann', 'DELETE', `/v1/jobs/${accepted.job_id}`)).json()).id).toBe(accepted.job_id);
    const { events } = await readEvents(stream);
    expect(events.at(-1)!.event).toBe('job.cancelled');
    expect(gated.calls.aborted).toBe(aborted + 1);
  });
});

describe('job events across processes', () => {
  it('ends the stream with the final state when another process ran the job (no events here)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-events-'));
    const front = await startTestServer({ engine: { dataDir, runner: { autoStart: false } }, server: { eventPollMs: 100 } });
    try {
      const accepted = await (await front.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { prefer: 'respond-async' })).json();
      const stream = await front.call('ann', 'GET', accepted.events_url);
      const worker = await createDefaultEngine({ dataDir, runner: { pollMs: 20 } });
      try {
        const { events, ended } = await readEvents(stream);
        expect(ended).toBe(true);
        expect(events.map((event) => [event.event, event.data.state])).toEqual([['snapshot', 'queued'], ['snapshot', 'succeeded']]);
      } finally {
        await worker.close();
      }
    } finally {
      await front.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('session events across processes', () => {
  it('tells a session stream of a turn another process finished, by re-reading the messages', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-session-events-'));
    const front = await startTestServer({ engine: { dataDir, runner: { autoStart: false } }, server: { eventPollMs: 100 } });
    try {
      const session = (await (await front.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
      const sent = await (await front.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'enhance this photo', image: chelseaDataUri })).json();
      const stream = await front.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`);
      const worker = await createDefaultEngine({ dataDir, runner: { pollMs: 20 } });
      try {
        const { events } = await readEvents(stream, (event) => event.event === 'message.updated' && event.data.status === 'DONE');
        expect(events[0]!.event).toBe('snapshot');
        expect(events.at(-1)!.data).toMatchObject({ session_id: session, message_id: sent.message_id, job_id: sent.job_id, status: 'DONE' });
      } finally {
        await worker.close();
      }
    } finally {
      await front.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('chat session events (SSE)', () => {
  it('streams message status and the turn\'s job events, resumable', async () => {
    gated.reset();
    const session = (await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
    const stream = await test.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`);
    const sent = await (await test.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'sketch a jazz night' })).json();
    gated.open();
    const live = await readEvents(stream, (event) => event.event === 'message.updated' && event.data.status !== 'PROCESSING');
    expect(live.events[0]!.event).toBe('snapshot');
    const updates = live.events.filter((event) => event.event === 'message.updated');
    expect(updates.map((event) => event.data.status)).toEqual(['PROCESSING', 'DONE']);
    expect(updates[0]!.data).toMatchObject({ message_id: sent.message_id, job_id: sent.job_id, session_id: session });
    expect(live.events.some((event) => event.event === 'job.progress' && event.data.job_id === sent.job_id)).toBe(true);
    // The whole turn, from its job's first event, whichever came first: the job starting or its message being told.
    expect(live.events.filter((event) => event.data.job_id === sent.job_id).map((event) => event.event)).toEqual(expect.arrayContaining(['job.started', 'step.started', 'message.updated']));
    expect((await waitForMessage(test, 'ann', session, sent.message_id)).status).toBe('DONE');

    const fromStart = await readEvents(await test.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`, undefined, { 'last-event-id': '0' }), (event) => event.event === 'message.updated' && event.data.status === 'DONE');
    expect(fromStart.events.map((event) => event.event)).toEqual(live.events.slice(1).map((event) => event.event));
  });
});

describe('streams of what is gone', () => {
  it('end once their session is deleted or their job can no longer be read, and free their place', async () => {
    // Jobs stay queued (nothing runs them); the server re-reads every 20 ms.
    const database = await createDatabase({ kind: 'memory' });
    const idle = await startTestServer({ engine: { store: database, runner: { autoStart: false } }, server: { heartbeatMs: 20, eventPollMs: 20 } });
    try {
      const session = (await (await idle.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
      const sessionStream = readEvents(await idle.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`));
      const accepted = await (await idle.call('ann', 'POST', '/v1/features/upscale', { image: chelseaDataUri, scale: 2 }, { prefer: 'respond-async' })).json();
      const jobStream = readEvents(await idle.call('ann', 'GET', accepted.events_url));

      expect((await idle.call('ann', 'DELETE', `/api/v1/chat/sessions/${session}`)).status).toBe(204);
      // A job record the queue no longer keeps (retention, or removed by hand).
      await database.db.deleteFrom('jobs').where('id', '=', accepted.job_id).execute();

      const [sessionEvents, jobEvents] = await Promise.all([sessionStream, jobStream]);
      expect(sessionEvents).toMatchObject({ ended: true, events: [{ event: 'snapshot' }] });
      expect(jobEvents).toMatchObject({ ended: true, events: [{ event: 'snapshot', data: { state: 'queued' } }] });
      expect((await idle.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`)).status).toBe(404);
    } finally {
      await idle.close();
      await database.close();
    }
  });
});

describe('event stream limits', () => {
  it('lets one user hold at most 32 streams open; closing one frees a place', async () => {
    const session = (await (await test.call('bob', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
    const path = `/api/v1/chat/sessions/${session}/events`;
    const open = [];
    for (let index = 0; index < 32; index += 1) {
      const response = await test.call('bob', 'GET', path);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      open.push(reader);
    }
    const refused = await test.call('bob', 'GET', path);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.details).toEqual({ max_streams: 32 });
    expect((await test.call('ann', 'GET', `/v1/jobs/job_nope/events`)).status).toBe(404);
    await open.pop()!.cancel();
    let again = await test.call('bob', 'GET', path);
    for (let tries = 0; again.status === 429 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await test.call('bob', 'GET', path);
    }
    expect(again.status).toBe(200);
    await again.body!.cancel();
    await Promise.all(open.map((reader) => reader.cancel()));
  });
});

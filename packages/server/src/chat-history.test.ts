import type { Database } from '@darkroom/core';
import { testDatabases } from '@darkroom/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEvents } from './testing/gated-provider.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

/** A message row as another process writes it (no event reaches this server). */
const row = (sessionId: string, index: number, role: 'user' | 'assistant', status: string | null) => ({
  id: `msg_${sessionId.slice(-6)}_${String(index).padStart(5, '0')}`,
  session_id: sessionId,
  user_id: 'ann',
  role,
  content: `message ${index}`,
  status,
  asset_id: null,
  job_id: role === 'assistant' ? `job_${index}` : null,
  data: '{}',
  created_at: 1_000 + index,
  updated_at: Date.now(),
});

describe.each(await testDatabases())('a session past 500 messages on $name', (backend) => {
  let database: Database & { dispose(): Promise<void> };
  let test: TestServer;
  beforeAll(async () => {
    database = await backend.open();
    test = await startTestServer({ engine: { store: database, runner: { autoStart: false } }, server: { eventPollMs: 50 } });
  });
  afterAll(async () => {
    await test.close();
    await database.dispose();
  });

  it('lists the newest messages first, pages through all of them, and streams the ones written later', async () => {
    const session = (await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id as string;
    const rows = Array.from({ length: 520 }, (_, index) => row(session, index, index % 2 === 0 ? 'user' : 'assistant', index % 2 === 0 ? null : 'DONE'));
    await database.db.insertInto('messages').values(rows).execute();
    const ids = rows.map((message) => message.id);
    const path = `/api/v1/chat/sessions/${session}/messages`;

    const first = await (await test.call('ann', 'GET', path)).json();
    expect(first.session_id).toBe(session);
    expect(first.messages.map((message: { id: string }) => message.id)).toEqual(ids.slice(-50).reverse());
    expect(first.messages[0]).toMatchObject({ role: 'assistant', status: 'DONE', content: 'message 519', created_at: new Date(1_519).toISOString() });
    expect(first.next_cursor).toBe(ids[470]);

    for (const order of ['desc', 'asc'] as const) {
      const seen: string[] = [];
      let next = `${path}?limit=200&order=${order}`;
      for (let pages = 1; ; pages += 1) {
        const page = await (await test.call('ann', 'GET', next)).json();
        seen.push(...page.messages.map((message: { id: string }) => message.id));
        if (!page.next_cursor) {
          expect(pages).toBe(3);
          break;
        }
        next = `${path}?limit=200&order=${order}&cursor=${page.next_cursor}`;
      }
      expect(seen).toEqual(order === 'asc' ? ids : [...ids].reverse());
    }
    const after = await (await test.call('ann', 'GET', `${path}?order=asc&cursor=${ids[517]}`)).json();
    expect(after).toEqual({ session_id: session, messages: [expect.objectContaining({ id: ids[518] }), expect.objectContaining({ id: ids[519] })], next_cursor: null });
    for (const query of ['limit=0', 'limit=201', 'order=newest', `cursor=msg_nope`, 'since=1']) {
      const refused = await test.call('ann', 'GET', `${path}?${query}`);
      expect(refused.status, query).toBe(400);
      expect((await refused.json()).error.code).toBe('invalid_input');
    }
    expect((await test.call('bob', 'GET', path)).status).toBe(404);

    const added = row(session, 520, 'assistant', 'PROCESSING');
    await database.db.insertInto('messages').values(added).execute();
    const history = vi.spyOn(test.engine.chat, 'history');
    const changes = vi.spyOn(test.engine.chat, 'changes');
    const stream = await test.call('ann', 'GET', `/api/v1/chat/sessions/${session}/events`);
    const later = row(session, 521, 'assistant', 'PROCESSING');
    const told = new Set<string>();
    const { events } = await readEvents(stream, (event) => {
      if (event.event === 'snapshot') {
        void database.db.insertInto('messages').values(later).execute()
          .then(() => database.db.updateTable('messages').set({ status: 'DONE', updated_at: Date.now() }).where('id', '=', added.id).execute());
      }
      if (event.event === 'message.updated') told.add(`${event.data.message_id} ${event.data.status}`);
      return told.has(`${later.id} PROCESSING`) && told.has(`${added.id} DONE`);
    });
    const [snapshot, ...updates] = events;
    expect(snapshot!.event).toBe('snapshot');
    expect(snapshot!.data.messages.map((message: { id: string }) => message.id)).toEqual([added.id, ...ids.slice(-19).reverse()]);
    expect(snapshot!.data.messages[0]).toMatchObject({ status: 'PROCESSING', job_id: 'job_520' });
    expect(snapshot!.data.next_cursor).toBe(ids[501]);
    expect(updates.map((event) => [event.event, event.data])).toEqual(expect.arrayContaining([
      ['message.updated', { session_id: session, message_id: later.id, job_id: 'job_521', status: 'PROCESSING' }],
      ['message.updated', { session_id: session, message_id: added.id, job_id: 'job_520', status: 'DONE' }],
    ]));
    expect(updates).toHaveLength(2);
    expect(history).toHaveBeenCalledTimes(1);
    expect(changes.mock.calls.every(([, , query]) => query.since > Date.now() - 60_000)).toBe(true);
    history.mockRestore();
    changes.mockRestore();
  });
});

import { createDatabase, type Database } from '@darkroom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatedProvider } from '../testing/gated-provider.js';
import { chelseaDataUri, startTestServer, waitForMessage, type TestServer, type TestUser } from '../testing/test-server.js';

// Generated images wait on a gate (a turn still running); everything else runs on the local provider at once.
const gated = createGatedProvider();
const sessions = '/api/v1/chat/sessions';
let database: Database;
let test: TestServer;

beforeAll(async () => {
  database = await createDatabase({ kind: 'memory' });
  test = await startTestServer({ engine: { store: database, providers: [gated.provider], routing: { 'text-to-image': ['gated'] } } });
});
afterAll(async () => {
  gated.open();
  await test.close();
  await database.close();
});

const call = async (user: TestUser, method: string, path: string, body?: unknown) => {
  const response = await test.call(user, method, path, body);
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
};
const create = async (user: TestUser, body: Record<string, unknown> = {}) => (await call(user, 'POST', sessions, body)).body;
const listed = async (user: TestUser, query = '') => (await call(user, 'GET', `${sessions}${query}`)).body;
/** Lets a millisecond pass at least, so that what is written next is more recently active than what was. */
const later = () => new Promise((resolve) => setTimeout(resolve, 5));
const storedMessages = (sessionId: string) => database.db.selectFrom('messages').select('id').where('session_id', '=', sessionId).execute();

describe('chat sessions over HTTP', () => {
  it('creates a session with a description, renames and describes it, and lists it first once it is active', async () => {
    const older = await create('ann', { title: 'Older' });
    const created = await create('ann', { title: 'Product shots', description: 'Rings on white' });
    expect(created).toMatchObject({ id: created.session_id, user_id: 'ann', title: 'Product shots', description: 'Rings on white', latest_asset_id: null });
    expect(await create('ann')).toMatchObject({ title: null, description: null });

    await later();
    const renamed = await call('ann', 'PATCH', `${sessions}/${older.id}`, { title: 'Spring catalogue' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...older, title: 'Spring catalogue', updated_at: expect.any(String) });
    expect(renamed.body.updated_at > older.updated_at).toBe(true);
    expect((await listed('ann')).sessions[0].id).toBe(older.id);

    const described = await call('ann', 'PATCH', `${sessions}/${older.id}/`, { description: 'Necklaces, then rings' });
    expect(described.body).toMatchObject({ title: 'Spring catalogue', description: 'Necklaces, then rings' });
    const cleared = await call('ann', 'PATCH', `${sessions}/${older.id}`, { title: null, description: null });
    expect(cleared.body).toMatchObject({ title: null, description: null });
    expect((await call('ann', 'GET', `${sessions}/${older.id}`)).body).toEqual(cleared.body);

    // A message sent moves its session to the front.
    await later();
    const sent = (await call('ann', 'POST', `${sessions}/${created.id}/messages`, { content: 'enhance this photo', image: chelseaDataUri })).body;
    await waitForMessage(test, 'ann', created.id, sent.message_id);
    expect((await listed('ann')).sessions[0]).toMatchObject({ id: created.id, description: 'Rings on white', latest_asset_id: expect.any(String) });
  });

  it('pages the list, most recently active first, each session once, and refuses a cursor it did not give', async () => {
    for (let index = 0; index < 5; index += 1) await create('ann', { title: `page ${index}` });
    const all = await listed('ann', '?limit=100');
    expect(all.next_cursor).toBeNull();
    const order = all.sessions.map((session: { updated_at: string; id: string }) => `${session.updated_at} ${session.id}`);
    expect(order).toEqual([...order].sort().reverse());

    const seen: string[] = [];
    let next = `?limit=2`;
    for (;;) {
      const page = await listed('ann', next);
      expect(page.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...page.sessions.map((session: { id: string }) => session.id));
      if (!page.next_cursor) break;
      next = `?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(seen).toEqual(all.sessions.map((session: { id: string }) => session.id));
    expect((await listed('ann')).sessions).toHaveLength(Math.min(20, all.sessions.length));

    for (const query of ['limit=0', 'limit=101', 'limit=two', 'cursor=not-a-cursor', 'order=asc']) {
      const refused = await call('ann', 'GET', `${sessions}?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error.code, query).toBe('invalid_input');
    }
    expect((await call('ann', 'GET', `${sessions}?cursor=not-a-cursor`)).body.error.message).toMatch(/pass the next_cursor of a previous page/);
  });

  it("keeps users apart: another user's session is 404 to GET, PATCH and DELETE and absent from their list", async () => {
    const mine = await create('ann', { title: 'ann only', description: 'private' });
    for (const [method, body] of [['GET'], ['PATCH', { title: 'taken' }], ['DELETE']] as const) {
      const probe = await call('bob', method, `${sessions}/${mine.id}`, body);
      expect(probe.status, method).toBe(404);
      expect(probe.body.error.code, method).toBe('not_found');
    }
    expect((await listed('bob')).sessions.map((session: { id: string }) => session.id)).not.toContain(mine.id);
    const own = await create('bob', { title: 'bob only' });
    expect((await listed('bob')).sessions.every((session: { user_id: string }) => session.user_id === 'bob')).toBe(true);
    expect((await listed('ann')).sessions.map((session: { id: string }) => session.id)).not.toContain(own.id);
    expect((await call('ann', 'GET', `${sessions}/${mine.id}`)).body).toEqual(mine);
  });

  it('refuses a PATCH that changes nothing, names a field a session does not have, or sends a wrong value, naming the field', async () => {
    const session = await create('ann', { title: 'kept' });
    const refusals: Array<[unknown, RegExp]> = [
      [{}, /title or description/],
      [{ name: 'x' }, /"name" is not taken here; the body takes title, description/],
      [{ title: 'x'.repeat(201) }, /title/],
      [{ description: 'x'.repeat(2001) }, /description/],
      [{ title: 5 }, /title/],
      [{ description: ['a'] }, /description/],
      [{ title: 'fine', user_id: 'bob' }, /"user_id" is not taken here/],
      [{ title: '' }, /^title is empty .*send null for no title/],
      [{ title: '  \u200b ' }, /^title is empty .*send null for no title/],
      [{ description: ' ' }, /^description is empty .*send null for no description/],
    ];
    for (const [body, message] of refusals) {
      const refused = await call('ann', 'PATCH', `${sessions}/${session.id}`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
      expect(refused.body.error.message).toMatch(message);
    }
    expect((await call('ann', 'PATCH', `${sessions}/ses_missing`, { title: 'x' })).status).toBe(404);
    for (const body of [{ title: '' }, { title: '   ' }]) expect((await call('ann', 'POST', sessions, body)).status, JSON.stringify(body)).toBe(400);
    expect(await create('ann', { title: '  Trimmed ', description: 'kept\n' })).toMatchObject({ title: 'Trimmed', description: 'kept' });
    expect((await call('ann', 'GET', `${sessions}/${session.id}`)).body).toEqual(session);

    const key = { 'idempotency-key': 'described-once' };
    const first = await test.call('ann', 'POST', sessions, { title: 'same', description: 'one' }, key);
    expect(first.status).toBe(201);
    const other = await test.call('ann', 'POST', sessions, { title: 'same', description: 'two' }, key);
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe('idempotency_mismatch');
  });

  it('deletes a session mid-turn: its turn is cancelled and nothing of it is left in the store or written afterwards', async () => {
    const session = await create('ann', { title: 'doomed' });
    const sent = (await call('ann', 'POST', `${sessions}/${session.id}/messages`, { content: 'create an image of a boat at sea 256x256' })).body;
    await gated.started();
    expect(await storedMessages(session.id)).toHaveLength(2);

    expect((await call('ann', 'DELETE', `${sessions}/${session.id}`)).status).toBe(204);
    expect(gated.calls.aborted).toBe(1);
    expect((await test.engine.jobs.wait('ann', sent.job_id)).state).toBe('cancelled');
    gated.open();

    expect((await call('ann', 'GET', `${sessions}/${session.id}`)).status).toBe(404);
    expect((await call('ann', 'GET', `${sessions}/${session.id}/messages/${sent.message_id}`)).status).toBe(404);
    expect((await call('ann', 'DELETE', `${sessions}/${session.id}`)).status).toBe(404);
    expect((await listed('ann', '?limit=100')).sessions.map((each: { id: string }) => each.id)).not.toContain(session.id);
    expect(await storedMessages(session.id)).toEqual([]);
    expect(await database.db.selectFrom('sessions').select('id').where('id', '=', session.id).execute()).toEqual([]);
  });

  it('answers 409 "deleted" to a create or a message replayed with its Idempotency-Key after the session was deleted', async () => {
    const created = await test.call('ann', 'POST', sessions, { title: 'replayed' }, { 'idempotency-key': 'create-then-delete' });
    const { id } = await created.json();
    const message = { content: 'enhance this photo', image: chelseaDataUri };
    const sent = await (await test.call('ann', 'POST', `${sessions}/${id}/messages`, message, { 'idempotency-key': 'a-message' })).json();
    await waitForMessage(test, 'ann', id, sent.message_id);
    expect((await call('ann', 'DELETE', `${sessions}/${id}`)).status).toBe(204);
    for (const [path, body, key] of [[sessions, { title: 'replayed' }, 'create-then-delete'], [`${sessions}/${id}/messages`, message, 'a-message']] as const) {
      const replayed = await test.call('ann', 'POST', path, body, { 'idempotency-key': key });
      expect(replayed.status, path).toBe(409);
      expect((await replayed.json()).error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/has (since )?been deleted/), details: { reason: 'deleted', session_id: id } });
    }
    expect(await storedMessages(id)).toEqual([]);
    expect((await call('ann', 'GET', `${sessions}/${id}`)).status).toBe(404);
  });
});

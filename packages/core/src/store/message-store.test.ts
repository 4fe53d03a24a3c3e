import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/test-databases.js';
import type { Database } from './create-database.js';
import { createId } from './create-id.js';
import { createMessageStore, type Message, type MessageQuery, type NewMessage } from './message-store.js';
import { createSessionStore } from './session-store.js';

const backends = await testDatabases();

/** `count` messages of one session, two per turn sharing a `created_at` (ties are broken by id). */
function turns(sessionId: string, count: number, firstAt = 1_000): NewMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `msg_${sessionId.slice(-6)}_${String(index).padStart(5, '0')}`,
    sessionId,
    userId: 'ivy',
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `message ${index}`,
    status: index % 2 === 0 ? null : 'DONE',
    createdAt: firstAt + Math.floor(index / 2),
  }));
}

describe.each(backends)('messages on $name', (backend) => {
  let database: Database & { dispose(): Promise<void> };
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(async () => {
    await database.dispose();
  });

  const seed = async (count: number) => {
    const session = await createSessionStore(database.db).create({ userId: 'ivy' });
    const messages = createMessageStore(database.db);
    const rows = turns(session.id, count);
    for (let start = 0; start < rows.length; start += 50) await Promise.all(rows.slice(start, start + 50).map((row) => messages.insertOnce(row)));
    return { session, messages, ids: rows.map((row) => row.id) };
  };

  const walk = async (list: (query: MessageQuery) => Promise<{ messages: Message[]; next_cursor: string | null }>, query: MessageQuery) => {
    const seen: string[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const page = await list({ ...query, ...(cursor ? { cursor } : {}) });
      seen.push(...page.messages.map((message) => message.id));
      pages += 1;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return { seen, pages };
  };

  it('pages a session of 521 messages: the newest first by default, every message once in either order', async () => {
    const { session, messages, ids } = await seed(521);
    const list = (query: MessageQuery) => messages.list('ivy', session.id, query);

    const first = await list({});
    expect(first.messages).toHaveLength(50);
    expect(first.messages[0]).toMatchObject({ id: ids[520], content: 'message 520', role: 'user', created_at: new Date(1_260).toISOString() });
    expect(first.messages.map((message) => message.id)).toEqual(ids.slice(-50).reverse());
    expect(first.next_cursor).toBe(ids[471]);

    const newestFirst = await walk(list, { limit: 200 });
    expect(newestFirst).toEqual({ seen: [...ids].reverse(), pages: 3 });
    const oldestFirst = await walk(list, { limit: 200, order: 'asc' });
    expect(oldestFirst).toEqual({ seen: ids, pages: 3 });
    expect((await list({ limit: 1000 })).messages).toHaveLength(200);

    expect((await list({ order: 'asc', cursor: ids[517] })).messages.map((message) => message.id)).toEqual(ids.slice(518));
    expect(await list({ order: 'asc', cursor: ids[520] })).toEqual({ messages: [], next_cursor: null });
    await expect(list({ cursor: 'msg_nope' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(messages.list('bob', session.id, { cursor: ids[100] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await messages.list('bob', session.id)).toEqual({ messages: [], next_cursor: null });
  });

  it('reads what was written since a time, in the order written, a page at a time', async () => {
    const { session, messages, ids } = await seed(30);
    // The seeded rows were written at or before this millisecond: start the window strictly after them.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late: NewMessage = { id: createId('msg'), sessionId: session.id, userId: 'ivy', role: 'assistant', content: '', status: 'PROCESSING', createdAt: 5_000 };
    await messages.insertOnce(late);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await messages.complete(ids[1]!, { status: 'FAILED', content: 'no', data: {} });

    const changed = await messages.changes('ivy', session.id, { since });
    expect(changed.map((message) => [message.id, message.status])).toEqual([[late.id, 'PROCESSING'], [ids[1], 'FAILED']]);
    expect(Date.parse(changed[1]!.updated_at)).toBeGreaterThan(Date.parse(changed[0]!.updated_at));

    const everything = await messages.changes('ivy', session.id, { since: 0 });
    expect(everything).toHaveLength(31);
    expect(everything.slice(-2).map((message) => message.id)).toEqual([late.id, ids[1]]);
    const walked: string[] = [];
    let after: Message | undefined;
    for (;;) {
      const page = await messages.changes('ivy', session.id, { since: 0, limit: 7, ...(after ? { after } : {}) });
      walked.push(...page.map((message) => message.id));
      if (page.length < 7) break;
      after = page.at(-1);
    }
    expect(walked).toEqual(everything.map((message) => message.id));
    expect(await messages.changes('bob', session.id, { since: 0 })).toEqual([]);
  });
});

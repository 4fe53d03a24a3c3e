import { describe, expect, it } from 'vitest';
import type { ConversationStore, Message, MessageData, MessagePage, MessageQuery, NewMessage, Session } from '../store/conversation-store.js';
import { createId } from '../store/create-id.js';
import { openStoreSubject, type StoreContractOptions, type StoreSubject } from './open-store-subject.js';

export type ConversationStoreSubject = StoreSubject<ConversationStore>;

export type ConversationStoreContractOptions = StoreContractOptions<ConversationStore>;

const later = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything an assistant message's data can hold, with nested parameters the store must keep as given. */
const fullData: MessageData = {
  intents: [
    { intent: 'image_generate', feature: 'generate', confidence: 0.92, parameters: { prompt: 'a red fox', num_images: 2, style: { name: 'film', strength: 0.5 } } },
    { intent: 'image_upscale', feature: 'upscale', confidence: 0.8 },
  ],
  confidence: 0.86,
  detector: 'rule-based',
  refinedPrompt: 'a red fox in snow, golden hour',
  negativePrompt: 'blurry',
  images: [{ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 1024, height: 768, mimeType: 'image/png', feature: 'generate' }],
  clarification: 'Which image?',
  error: { code: 'provider_error', message: 'the provider failed' },
  imageUrl: '/v1/assets/ast_1',
};

/**
 * The contract every `ConversationStore` keeps (SQL on SQLite and PostgreSQL, MongoDB): scoping by
 * user and session, writes that are safe to repeat, session lists and their pages, updates, deletes
 * that leave no message behind (even from a turn still running) and whose ids never come back, paging messages in both orders, the
 * change feed, and the readiness probe. It depends on the interface only. `open` is called once per backend; every test
 * works under users of its own, so the store may hold other data.
 *
 * @example
 * describeConversationStoreContract('sqlite', async () => {
 *   const database = await createDatabase({ kind: 'memory' });
 *   return { store: createSqlConversationStore(database), dispose: () => database.close() };
 * });
 */
export function describeConversationStoreContract(name: string, open: () => Promise<ConversationStoreSubject>, options: ConversationStoreContractOptions = {}): void {
  describe(`conversation store contract: ${name}`, () => {
    let store!: ConversationStore;
    openStoreSubject(open, options, (opened) => (store = opened));

    const user = () => createId('usr');
    const message = (sessionId: string, userId: string, overrides: Partial<NewMessage> = {}): NewMessage => ({
      id: createId('msg'),
      sessionId,
      userId,
      role: 'user',
      content: 'hello',
      status: null,
      createdAt: Date.now(),
      ...overrides,
    });

    it('creates sessions per user: another user can neither read nor delete them', async () => {
      const alice = user();
      const before = Date.now();
      const session = await store.createSession({ userId: alice, title: 'holiday' });
      const other = await store.createSession({ userId: alice });
      expect(session).toEqual({ id: expect.any(String), userId: alice, title: 'holiday', description: null, latestAssetId: null, createdAt: expect.any(Number), updatedAt: expect.any(Number) });
      expect(session.createdAt).toBeGreaterThanOrEqual(before);
      expect(session.createdAt).toBeLessThanOrEqual(Date.now());
      expect(session.updatedAt).toBeGreaterThanOrEqual(session.createdAt);
      expect(other.id).not.toBe(session.id);
      expect(other.title).toBeNull();
      expect(await store.getSession(alice, session.id)).toEqual(session);
      const described = await store.createSession({ userId: alice, title: 'catalogue', description: 'Spring shots, white background' });
      expect(await store.getSession(alice, described.id)).toEqual({ ...described, description: 'Spring shots, white background' });

      const bob = user();
      expect(await store.getSession(bob, session.id)).toBeUndefined();
      expect(await store.deleteSession(bob, session.id)).toBe(false);
      expect(await store.getSession(alice, session.id)).toEqual(session);
      expect(await store.getSession(alice, 'ses_does_not_exist')).toBeUndefined();
    });

    it('creates a session with a given id once: a repeat changes nothing and answers the stored session', async () => {
      const alice = user();
      const id = createId('ses');
      const first = await store.createSession({ userId: alice, title: 'first', id });
      expect(first).toMatchObject({ id, userId: alice, title: 'first', latestAssetId: null });
      await later();
      const again = await store.createSession({ userId: alice, title: 'second', id });
      expect(again).toEqual(first);
      expect(await store.getSession(alice, id)).toEqual(first);
    });

    it('inserts a message once: a repeat with other values changes nothing', async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice });
      const written = message(session.id, alice, { content: 'make it blue', assetId: 'ast_in', createdAt: 1_000 });
      const before = Date.now();
      await store.insertMessageOnce(written);
      await store.insertMessageOnce({ ...written, content: 'a second write is ignored', createdAt: 2_000 });
      const stored = await store.getMessage(alice, session.id, written.id);
      expect(stored).toEqual({
        id: written.id,
        sessionId: session.id,
        userId: alice,
        role: 'user',
        content: 'make it blue',
        status: null,
        assetId: 'ast_in',
        jobId: null,
        data: {},
        createdAt: 1_000,
        updatedAt: expect.any(Number),
      });
      expect(stored!.updatedAt).toBeGreaterThanOrEqual(before);

      const assistant = message(session.id, alice, { role: 'assistant', content: '', status: 'PROCESSING', jobId: 'job_1', data: { detector: 'rule-based' }, createdAt: 1_001 });
      await store.insertMessageOnce(assistant);
      expect(await store.getMessage(alice, session.id, assistant.id)).toMatchObject({ role: 'assistant', status: 'PROCESSING', jobId: 'job_1', assetId: null, data: { detector: 'rule-based' } });
      expect((await store.listMessages(alice, session.id)).messages.map((row) => row.id)).toEqual([assistant.id, written.id]);
    });

    it('completes a message: status, content and data as given, updatedAt moved; a repeat writes the same values', async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice });
      const assistant = message(session.id, alice, { role: 'assistant', content: '', status: 'PROCESSING', jobId: 'job_2', createdAt: 5 });
      await store.insertMessageOnce(assistant);
      const inserted = (await store.getMessage(alice, session.id, assistant.id))!;
      await later();
      await store.completeMessage(assistant.id, { status: 'DONE', content: 'Done: generate.', data: fullData });
      const done = (await store.getMessage(alice, session.id, assistant.id))!;
      expect(done).toEqual({ ...inserted, status: 'DONE', content: 'Done: generate.', data: fullData, updatedAt: expect.any(Number) });
      expect(done.updatedAt).toBeGreaterThan(inserted.updatedAt);

      await store.completeMessage(assistant.id, { status: 'DONE', content: 'Done: generate.', data: fullData });
      expect(await store.getMessage(alice, session.id, assistant.id)).toEqual({ ...done, updatedAt: expect.any(Number) });

      await store.completeMessage(assistant.id, { status: 'FAILED', content: 'Sorry', data: { error: { code: 'cancelled', message: 'The job was cancelled' } } });
      expect(await store.getMessage(alice, session.id, assistant.id)).toMatchObject({ status: 'FAILED', content: 'Sorry', data: { error: { code: 'cancelled', message: 'The job was cancelled' } } });
      expect((await store.getMessage(alice, session.id, assistant.id))!.data).toEqual({ error: { code: 'cancelled', message: 'The job was cancelled' } });
    });

    it('scopes messages by user and session: elsewhere they are simply not found', async () => {
      const alice = user();
      const bob = user();
      const session = await store.createSession({ userId: alice });
      const elsewhere = await store.createSession({ userId: alice });
      const written = message(session.id, alice);
      await store.insertMessageOnce(written);
      expect(await store.getMessage(alice, session.id, written.id)).toBeDefined();
      expect(await store.getMessage(bob, session.id, written.id)).toBeUndefined();
      expect(await store.getMessage(alice, elsewhere.id, written.id)).toBeUndefined();
      expect(await store.listMessages(bob, session.id)).toEqual({ messages: [], nextCursor: null });
      expect(await store.listMessages(alice, elsewhere.id)).toEqual({ messages: [], nextCursor: null });
      expect(await store.messageChanges(bob, session.id, { since: 0 })).toEqual([]);
    });

    /** `count` messages of one session, two per turn sharing a `createdAt` (ties are broken by id). */
    const seed = async (count: number) => {
      const userId = user();
      const session = await store.createSession({ userId });
      const rows: NewMessage[] = Array.from({ length: count }, (_, index) => ({
        id: `msg_${session.id.slice(-8)}_${String(index).padStart(5, '0')}`,
        sessionId: session.id,
        userId,
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: `message ${index}`,
        status: index % 2 === 0 ? null : 'DONE',
        createdAt: 1_000 + Math.floor(index / 2),
      }));
      for (let start = 0; start < rows.length; start += 50) await Promise.all(rows.slice(start, start + 50).map((row) => store.insertMessageOnce(row)));
      return { userId, session, ids: rows.map((row) => row.id) };
    };

    const walk = async (list: (query: MessageQuery) => Promise<MessagePage>, query: MessageQuery) => {
      const seen: string[] = [];
      let pages = 0;
      let cursor: string | undefined;
      do {
        const page = await list({ ...query, ...(cursor ? { cursor } : {}) });
        seen.push(...page.messages.map((row) => row.id));
        pages += 1;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { seen, pages };
    };

    it('pages a session of 521 messages: newest first by default, every message once in either order, cursors checked', async () => {
      const { userId, session, ids } = await seed(521);
      const list = (query: MessageQuery) => store.listMessages(userId, session.id, query);

      const first = await list({});
      expect(first.messages).toHaveLength(50);
      expect(first.messages[0]).toMatchObject({ id: ids[520], content: 'message 520', role: 'user', createdAt: 1_260 });
      expect(first.messages.map((row) => row.id)).toEqual(ids.slice(-50).reverse());
      expect(first.nextCursor).toBe(ids[471]);

      expect(await walk(list, { limit: 200 })).toEqual({ seen: [...ids].reverse(), pages: 3 });
      expect(await walk(list, { limit: 200, order: 'asc' })).toEqual({ seen: ids, pages: 3 });
      expect(await walk(list, { limit: 7, order: 'asc' })).toEqual({ seen: ids, pages: 75 });
      expect((await list({ limit: 1000 })).messages).toHaveLength(200);
      expect((await list({ limit: 0 })).messages).toHaveLength(1);

      expect((await list({ order: 'asc', cursor: ids[517] })).messages.map((row) => row.id)).toEqual(ids.slice(518));
      expect((await list({ order: 'desc', cursor: ids[3], limit: 10 })).messages.map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(await list({ order: 'asc', cursor: ids[520] })).toEqual({ messages: [], nextCursor: null });
      expect((await list({ order: 'asc', limit: 521 })).nextCursor).toBe(ids[199]);

      const other = await store.createSession({ userId });
      const foreign = message(other.id, userId);
      await store.insertMessageOnce(foreign);
      await expect(list({ cursor: 'msg_nope' })).rejects.toMatchObject({ code: 'invalid_input', status: 400 });
      await expect(list({ cursor: foreign.id })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(store.listMessages(user(), session.id, { cursor: ids[100] })).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('reads what was written since a time, in the order written, a page at a time after the last one read', async () => {
      const { userId, session, ids } = await seed(30);
      // The seeded rows were written at or before this millisecond: start the window strictly after them.
      await later();
      const since = Date.now();
      await later();
      const late = message(session.id, userId, { role: 'assistant', content: '', status: 'PROCESSING', createdAt: 5_000 });
      await store.insertMessageOnce(late);
      await later();
      await store.completeMessage(ids[1]!, { status: 'FAILED', content: 'no', data: {} });

      const changed = await store.messageChanges(userId, session.id, { since });
      expect(changed.map((row) => [row.id, row.status])).toEqual([[late.id, 'PROCESSING'], [ids[1], 'FAILED']]);
      expect(changed[1]!.updatedAt).toBeGreaterThan(changed[0]!.updatedAt);
      expect(changed.every((row) => row.updatedAt >= since)).toBe(true);
      expect(await store.messageChanges(userId, session.id, { since: changed[1]!.updatedAt + 1 })).toEqual([]);
      expect(await store.messageChanges(userId, session.id, { since, after: changed[0]! })).toEqual([changed[1]]);
      expect(await store.messageChanges(userId, session.id, { since, limit: 1 })).toEqual([changed[0]]);

      const everything = await store.messageChanges(userId, session.id, { since: 0 });
      expect(everything).toHaveLength(31);
      expect(everything.slice(-2).map((row) => row.id)).toEqual([late.id, ids[1]]);
      const walked: string[] = [];
      let after: Message | undefined;
      for (;;) {
        const page = await store.messageChanges(userId, session.id, { since: 0, limit: 7, ...(after ? { after: { id: after.id, updatedAt: after.updatedAt } } : {}) });
        walked.push(...page.map((row) => row.id));
        if (page.length < 7) break;
        after = page.at(-1);
      }
      expect(walked).toEqual(everything.map((row) => row.id));
    });

    /** `count` sessions of a new user, created one after another (several may share a millisecond). */
    const seedSessions = async (count: number) => {
      const userId = user();
      const sessions: Session[] = [];
      for (let index = 0; index < count; index += 1) sessions.push(await store.createSession({ userId, title: `session ${index}` }));
      return { userId, sessions };
    };
    /** Sessions in list order: most recently active first, ties by id (descending). */
    const listOrder = (sessions: Session[]) => [...sessions].sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((session) => session.id);
    const listedIds = async (userId: string) => (await store.listSessions(userId)).sessions.map((session) => session.id);

    it("lists a user's sessions most recently active first: a new message, a new image or an update moves one to the front", async () => {
      const alice = user();
      const first = await store.createSession({ userId: alice, title: 'first', description: 'the oldest' });
      await later();
      const second = await store.createSession({ userId: alice, title: 'second' });
      await later();
      const third = await store.createSession({ userId: alice });
      const bob = user();
      const bobs = await store.createSession({ userId: bob, title: 'not alice' });
      expect(await store.listSessions(alice)).toEqual({ sessions: [third, second, first], nextCursor: null });

      await later();
      const written = message(first.id, alice);
      await store.insertMessageOnce(written);
      expect(await listedIds(alice)).toEqual([first.id, third.id, second.id]);
      const touched = (await store.getSession(alice, first.id))!;
      expect(touched).toEqual({ ...first, updatedAt: expect.any(Number) });
      expect(touched.updatedAt).toBeGreaterThan(first.updatedAt);
      await later();
      await store.insertMessageOnce({ ...written, content: 'a repeat changes nothing' });
      expect(await store.getSession(alice, first.id)).toEqual(touched);

      await later();
      await store.setLatestAsset(second.id, 'ast_new');
      expect(await listedIds(alice)).toEqual([second.id, first.id, third.id]);
      await later();
      await store.updateSession(alice, third.id, { title: 'renamed' });
      expect(await listedIds(alice)).toEqual([third.id, second.id, first.id]);

      expect(await store.listSessions(bob)).toEqual({ sessions: [bobs], nextCursor: null });
      expect(await store.listSessions(user())).toEqual({ sessions: [], nextCursor: null });
    });

    it("pages a user's sessions: 20 by default, each session once at any page size, limits clamped to 1..100", async () => {
      const { userId, sessions } = await seedSessions(23);
      const expected = listOrder(sessions);
      const first = await store.listSessions(userId);
      expect(first.sessions.map((session) => session.id)).toEqual(expected.slice(0, 20));
      expect(first.nextCursor).toEqual(expect.any(String));
      const rest = await store.listSessions(userId, { cursor: first.nextCursor! });
      expect(rest).toEqual({ sessions: expect.any(Array), nextCursor: null });
      expect(rest.sessions.map((session) => session.id)).toEqual(expected.slice(20));

      for (const limit of [1, 7, 23]) {
        const seen: string[] = [];
        let pages = 0;
        for (let cursor: string | undefined; ; ) {
          const page = await store.listSessions(userId, { limit, ...(cursor ? { cursor } : {}) });
          seen.push(...page.sessions.map((session) => session.id));
          pages += 1;
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(seen, `limit ${limit}`).toEqual(expected);
        expect(pages, `limit ${limit}`).toBe(Math.ceil(23 / limit));
      }
      expect((await store.listSessions(userId, { limit: 1000 })).sessions).toHaveLength(23);
      expect((await store.listSessions(userId, { limit: 0 })).sessions).toHaveLength(1);

      // A cursor is a place in the list, never a way into another user's sessions.
      const other = await seedSessions(2);
      const foreign = await store.listSessions(other.userId, { cursor: first.nextCursor! });
      expect(foreign.sessions.every((session) => session.userId === other.userId)).toBe(true);
    });

    it('refuses a session list cursor that is not a next_cursor of a list, saying what to pass', async () => {
      const { userId } = await seedSessions(1);
      const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const cursor of ['garbage', 'msg_nope', encoded({ updatedAt: 1, id: 'ses_1' }), encoded([1.5, 'ses_1']), encoded([1, '']), encoded([1, 'ses_1', 2]), encoded(['1', 'ses_1'])]) {
        await expect(store.listSessions(userId, { cursor }), cursor).rejects.toMatchObject({ code: 'invalid_input', status: 400, message: expect.stringContaining('next_cursor of a previous page') });
      }
    });

    it("updates a session's title and description as given and touches updatedAt; another user's or a missing one is not found", async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice, title: 'draft', description: 'first shots' });
      expect(session).toMatchObject({ title: 'draft', description: 'first shots' });
      await later();
      const renamed = await store.updateSession(alice, session.id, { title: 'final' });
      expect(renamed).toEqual({ ...session, title: 'final', updatedAt: expect.any(Number) });
      expect(renamed!.updatedAt).toBeGreaterThan(session.updatedAt);
      const described = await store.updateSession(alice, session.id, { description: 'Shots for the spring catalogue' });
      expect(described).toEqual({ ...renamed, description: 'Shots for the spring catalogue', updatedAt: expect.any(Number) });
      const cleared = await store.updateSession(alice, session.id, { title: null, description: null });
      expect(cleared).toEqual({ ...session, title: null, description: null, updatedAt: expect.any(Number) });
      expect(await store.getSession(alice, session.id)).toEqual(cleared);

      expect(await store.updateSession(user(), session.id, { title: 'mine now' })).toBeUndefined();
      expect(await store.updateSession(alice, 'ses_does_not_exist', { title: 'nothing' })).toBeUndefined();
      expect(await store.getSession(alice, session.id)).toEqual(cleared);
    });

    it("stores no message in another user's session or in one that does not exist", async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice });
      const stray = message(session.id, user());
      const orphan = message(createId('ses'), alice);
      await store.insertMessageOnce(stray);
      await store.insertMessageOnce(orphan);
      expect(await store.getMessage(stray.userId, session.id, stray.id)).toBeUndefined();
      expect(await store.getMessage(alice, session.id, stray.id)).toBeUndefined();
      expect(await store.getMessage(alice, orphan.sessionId, orphan.id)).toBeUndefined();
      expect(await store.listMessages(alice, session.id)).toEqual({ messages: [], nextCursor: null });
      expect(await store.getSession(alice, session.id)).toEqual(session);
      expect(await store.getSession(alice, orphan.sessionId)).toBeUndefined();
    });

    it('deletes a session with all its messages; other sessions keep theirs', async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice, title: 'doomed' });
      const kept = await store.createSession({ userId: alice });
      const doomed = [message(session.id, alice), message(session.id, alice, { role: 'assistant', status: 'DONE', createdAt: Date.now() + 1 })];
      for (const row of doomed) await store.insertMessageOnce(row);
      const survivor = message(kept.id, alice);
      await store.insertMessageOnce(survivor);

      expect(await store.deleteSession(alice, session.id)).toBe(true);
      expect(await store.getSession(alice, session.id)).toBeUndefined();
      for (const row of doomed) expect(await store.getMessage(alice, session.id, row.id)).toBeUndefined();
      expect(await store.listMessages(alice, session.id)).toEqual({ messages: [], nextCursor: null });
      expect(await store.messageChanges(alice, session.id, { since: 0 })).toEqual([]);
      expect(await store.deleteSession(alice, session.id)).toBe(false);
      expect(await store.getMessage(alice, kept.id, survivor.id)).toBeDefined();
      expect(await listedIds(alice)).toEqual([kept.id]);
    });

    it('keeps a deleted session deleted: what a turn still running writes afterwards leaves nothing behind', async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice, title: 'deleted mid-turn' });
      const question = message(session.id, alice);
      const reply = message(session.id, alice, { role: 'assistant', content: '', status: 'PROCESSING', jobId: 'job_late', createdAt: question.createdAt + 1 });
      await store.insertMessageOnce(question);
      await store.insertMessageOnce(reply);
      expect(await store.deleteSession(alice, session.id)).toBe(true);

      // The turn's job goes on: it writes its messages again (a re-run), sets the image, completes its reply.
      await store.insertMessageOnce(question);
      await store.insertMessageOnce(reply);
      await store.insertMessageOnce(message(session.id, alice, { content: 'a late message' }));
      await store.setLatestAsset(session.id, 'ast_late');
      await store.completeMessage(reply.id, { status: 'DONE', content: 'Done: generate.', data: fullData });

      expect(await store.getSession(alice, session.id)).toBeUndefined();
      expect(await listedIds(alice)).toEqual([]);
      expect(await store.getMessage(alice, session.id, question.id)).toBeUndefined();
      expect(await store.getMessage(alice, session.id, reply.id)).toBeUndefined();
      expect(await store.listMessages(alice, session.id)).toEqual({ messages: [], nextCursor: null });
      expect(await store.messageChanges(alice, session.id, { since: 0 })).toEqual([]);
    });

    it('never creates a deleted session again: its id (given again, even while the delete runs) is refused as deleted', async () => {
      const alice = user();
      const bob = user();
      const id = createId('ses');
      await store.createSession({ userId: alice, title: 'keyed', id });
      expect(await store.wasDeleted(alice, id)).toBe(false);
      expect(await store.deleteSession(bob, id)).toBe(false);
      expect(await store.wasDeleted(bob, id)).toBe(false);
      expect(await store.deleteSession(alice, id)).toBe(true);
      expect(await store.wasDeleted(alice, id)).toBe(true);
      expect(await store.wasDeleted(bob, id)).toBe(false);
      expect(await store.wasDeleted(alice, createId('ses'))).toBe(false);

      const refusal = await store.createSession({ userId: alice, title: 'keyed', id }).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: 'conflict', status: 409, details: { reason: 'deleted', session_id: id } });
      expect(await store.getSession(alice, id)).toBeUndefined();
      expect(await listedIds(alice)).toEqual([]);

      // A repeat of the create racing the delete: whichever comes first, the session ends deleted.
      const raced = Array.from({ length: 5 }, () => createId('ses'));
      for (const racedId of raced) await store.createSession({ userId: alice, id: racedId });
      await Promise.all(raced.flatMap((racedId) => [store.deleteSession(alice, racedId), store.createSession({ userId: alice, id: racedId }).catch(() => undefined)]));
      for (const racedId of raced) expect(await store.getSession(alice, racedId)).toBeUndefined();
    });

    it('keeps no message written while its session is being deleted', async () => {
      const { userId, sessions } = await seedSessions(10);
      const write = (sessionId: string) => Array.from({ length: 3 }, () => store.insertMessageOnce(message(sessionId, userId)));
      await Promise.all(sessions.flatMap((session) => [...write(session.id), store.deleteSession(userId, session.id), ...write(session.id)]));
      for (const session of sessions) expect(await store.listMessages(userId, session.id)).toEqual({ messages: [], nextCursor: null });
      expect(await listedIds(userId)).toEqual([]);
    });

    it("records a session's latest image and touches updatedAt", async () => {
      const alice = user();
      const session = await store.createSession({ userId: alice });
      const untouched = await store.createSession({ userId: alice });
      await later();
      await store.setLatestAsset(session.id, 'ast_first');
      await store.setLatestAsset(session.id, 'ast_latest');
      const updated = await store.getSession(alice, session.id);
      expect(updated).toEqual({ ...session, latestAssetId: 'ast_latest', updatedAt: expect.any(Number) });
      expect(updated!.updatedAt).toBeGreaterThan(session.updatedAt);
      expect(await store.getSession(alice, untouched.id)).toEqual(untouched);
    });
  });
}

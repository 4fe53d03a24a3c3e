import { createServer } from 'node:net';
import { describeConversationStoreContract } from '@darkroom/core/testing';
import { MongoClient, MongoServerError, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMongoConversationStore } from './create-mongo-conversation-store.js';
import { toStoreError } from './mongo-store-errors.js';
import type { SessionDocument } from './session-document.js';
import { startTestMongo, testMongoPlan } from './testing-mongo-server.js';

// The test server unwinds a session's messages array in time that grows with its square (about 0.1 s
// per page of a 521-message session, where MongoDB takes a millisecond): the contract's walk over
// 75 pages takes about 11 s here, so this file allows more than the default 30 s per test.
vi.setConfig({ testTimeout: 90_000 });

const plan = testMongoPlan();
const mongo = plan.kind === 'none' ? undefined : await startTestMongo(plan);
afterAll(() => mongo?.stop());

/** A local port nobody listens on (taken from the OS, then let go). */
const closedPort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const unreachableStore = async (credentials = '') =>
  createMongoConversationStore({ url: `mongodb://${credentials}127.0.0.1:${await closedPort()}/darkroom`, readyTimeoutMs: 3_000, clientOptions: { serverSelectionTimeoutMS: 1_000 } });

if (!mongo) {
  describe.skip(`MongoDB conversation store (${plan.kind === 'none' ? plan.reason : ''})`, () => {
    it('runs where jongodb is installed or DARKROOM_TEST_MONGODB_URL is set', () => undefined);
  });
} else {
  describeConversationStoreContract(mongo.name, async () => ({ store: createMongoConversationStore({ url: mongo.url, databaseName: mongo.databaseName }), dispose: async () => undefined }), {
    openUnreachable: () => unreachableStore(),
  });

  describe(`MongoDB conversation store on ${mongo.name}`, () => {
    let client: MongoClient;
    const store = createMongoConversationStore({ url: mongo.url, databaseName: mongo.databaseName });
    const raw = () => client.db(mongo.databaseName).collection<SessionDocument>('sessions');
    beforeAll(async () => {
      client = new MongoClient(mongo.url);
      await store.ready();
    });
    afterAll(async () => {
      await store.close();
      await client?.close();
    });

    it("stores a session as one document shaped like seed 000's: session fields, its messages array, snake_case, BSON dates", async () => {
      const session = await store.createSession({ userId: 'user123', title: 'sunset' });
      await store.insertMessageOnce({ id: 'msg_seed_user', sessionId: session.id, userId: 'user123', role: 'user', content: 'Create sunset image', status: null, createdAt: 1_000 });
      await store.insertMessageOnce({ id: 'msg_seed_assistant', sessionId: session.id, userId: 'user123', role: 'assistant', content: '', status: 'PROCESSING', jobId: 'task-123', createdAt: 1_001 });
      await store.completeMessage('msg_seed_assistant', {
        status: 'DONE',
        content: 'Done: generate.',
        data: { intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9 }], refinedPrompt: 'a vibrant sunset', imageUrl: 'https://example.test/sunset.png', images: [{ assetId: 'ast_1', galleryId: 'img_1', url: 'https://example.test/sunset.png', width: 1024, height: 768, mimeType: 'image/png', feature: 'generate' }] },
      });

      const document = await raw().findOne({ session_id: session.id });
      const active = (await store.getSession('user123', session.id))!;
      expect(active.updatedAt).toBeGreaterThanOrEqual(session.updatedAt);
      expect(document).toEqual({
        _id: expect.any(ObjectId),
        session_id: session.id,
        user_id: 'user123',
        title: 'sunset',
        description: null,
        latest_asset_id: null,
        created_at: new Date(session.createdAt),
        // Moved by its last message.
        updated_at: new Date(active.updatedAt),
        messages: [
          { message_id: 'msg_seed_user', role: 'user', content: 'Create sunset image', status: null, asset_id: null, job_id: null, created_at: new Date(1_000), updated_at: expect.any(Date) },
          {
            message_id: 'msg_seed_assistant',
            role: 'assistant',
            content: 'Done: generate.',
            status: 'DONE',
            asset_id: null,
            job_id: 'task-123',
            intents: [{ intent: 'image_generate', feature: 'generate', confidence: 0.9 }],
            refined_prompt: 'a vibrant sunset',
            image_url: 'https://example.test/sunset.png',
            images: [{ asset_id: 'ast_1', gallery_id: 'img_1', url: 'https://example.test/sunset.png', width: 1024, height: 768, mime_type: 'image/png', feature: 'generate' }],
            created_at: new Date(1_001),
            updated_at: expect.any(Date),
          },
        ],
      });
      expect(session.id).toBe(`ses_${document!._id.toHexString()}`);
    });

    it('creates its indexes when it starts: unique session ids, user scoping in list order, messages by id', async () => {
      const indexes = await raw().listIndexes().toArray();
      expect(indexes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'session_id_unique', key: { session_id: 1 }, unique: true }),
          expect.objectContaining({ name: 'user_id_updated_at', key: { user_id: 1, updated_at: -1, session_id: -1 } }),
          expect.objectContaining({ name: 'messages_message_id', key: { 'messages.message_id': 1 } }),
        ]),
      );
    });

    it('creates a session with one id once when callers on two clients race for it', async () => {
      const other = createMongoConversationStore({ url: mongo.url, databaseName: mongo.databaseName });
      try {
        const id = `ses_race_${new ObjectId().toHexString()}`;
        const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => (index % 2 === 0 ? store : other).createSession({ userId: 'racer', title: `title ${index}`, id })));
        expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
        expect(await raw().countDocuments({ session_id: id })).toBe(1);
      } finally {
        await other.close();
      }
    });

    it('inserts a message once when the same insert runs many times at once', async () => {
      const session = await store.createSession({ userId: 'repeater' });
      const message = { id: 'msg_repeated', sessionId: session.id, userId: 'repeater', role: 'user' as const, content: 'again', status: null, createdAt: 7 };
      await Promise.all(Array.from({ length: 20 }, (_, index) => store.insertMessageOnce({ ...message, content: `again ${index}` })));
      const document = await raw().findOne({ session_id: session.id });
      expect(document!.messages.map((element) => element.message_id)).toEqual(['msg_repeated']);
    });

    it("stores no message for a session that does not exist or is another user's (no message outlives its session)", async () => {
      const session = await store.createSession({ userId: 'owner' });
      await store.insertMessageOnce({ id: 'msg_stray', sessionId: session.id, userId: 'intruder', role: 'user', content: 'hi', status: null, createdAt: 1 });
      await store.insertMessageOnce({ id: 'msg_orphan', sessionId: 'ses_gone', userId: 'owner', role: 'user', content: 'hi', status: null, createdAt: 1 });
      expect((await raw().findOne({ session_id: session.id }))!.messages).toEqual([]);
      expect(await raw().countDocuments({ 'messages.message_id': { $in: ['msg_stray', 'msg_orphan'] } })).toBe(0);
      expect(await raw().countDocuments({ session_id: 'ses_gone' })).toBe(0);
      await expect(store.completeMessage('msg_orphan', { status: 'DONE', content: 'x', data: {} })).resolves.toBeUndefined();
    });

    it('uses the database the connection string names, and a client it is given stays open after close()', async () => {
      const url = new URL(mongo.url);
      url.pathname = `/${mongo.databaseName}_named`;
      const named = createMongoConversationStore({ url: url.toString() });
      const session = await named.createSession({ userId: 'named' });
      await named.close();
      expect(await client.db(`${mongo.databaseName}_named`).collection('sessions').countDocuments({ session_id: session.id })).toBe(1);

      const given = createMongoConversationStore({ client, databaseName: mongo.databaseName });
      await given.ready();
      await given.close();
      await expect(client.db(mongo.databaseName).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
      await client.db(`${mongo.databaseName}_named`).dropDatabase().catch(() => undefined);
    });
  });
}

describe('MongoDB conversation store without a server', () => {
  it('rejects ready() with unavailable that says what to check and hides the password', async () => {
    const store = await unreachableStore('darkroom:s3cret@');
    try {
      const error = await store.ready().catch((reason: unknown) => reason);
      expect(error).toMatchObject({ name: 'DarkroomError', code: 'unavailable', status: 503, retryable: true });
      expect((error as Error).message).toContain('DARKROOM_MONGODB_URL');
      expect((error as Error).message).toContain('mongodb://***@127.0.0.1:');
      expect((error as Error).message).not.toContain('s3cret');
      const operation = await store.getSession('u', 'ses_x').catch((reason: unknown) => reason);
      expect(operation).toMatchObject({ code: 'unavailable', retryable: true });
    } finally {
      await store.close();
    }
  });

  it('refuses a connection string the driver cannot read, and no connection at all, as configuration errors', () => {
    expect(() => createMongoConversationStore({ url: 'postgres://127.0.0.1/darkroom' })).toThrow(expect.objectContaining({ code: 'configuration', message: expect.stringContaining('DARKROOM_MONGODB_URL') }));
    expect(() => createMongoConversationStore({} as never)).toThrow(expect.objectContaining({ code: 'configuration' }));
  });

  it('reads a session document past 16 MB as a conflict that says to start a new session', () => {
    for (const code of [17419, 10334]) {
      const error = toStoreError(new MongoServerError({ code, errmsg: 'Resulting document after update is larger than 16777216' }), { where: 'mongodb://h', databaseName: 'd', sessionId: 'ses_full' });
      expect(error).toMatchObject({ code: 'conflict', status: 409, retryable: false, details: { sessionId: 'ses_full', maxBytes: 16_777_216 } });
      expect(error.message).toContain('start a new session');
    }
  });
});

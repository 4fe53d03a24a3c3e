import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Engine, type EngineOptions } from '@darkroom/core';
import { testDatabases } from '@darkroom/core/testing';
import { createBullmqJobBackend } from '@darkroom/queue-bullmq';
import { deleteKeys, testRedis, uniquePrefix } from '@darkroom/queue-bullmq/testing';
import { createMongoConversationStore } from '@darkroom/store-mongodb';
import { describe, expect, it } from 'vitest';
// The MongoDB test server of the store's own tests (jongodb, or DARKROOM_TEST_MONGODB_URL).
import { startTestMongo, testMongoPlan } from '../../store-mongodb/src/testing-mongo-server.js';
import { createDefaultEngine } from './create-default-engine.js';
import { chelseaPng } from './testing/test-server.js';

/** An engine on one arrangement of stores and job backend, and how to let go of it all. */
type Setup = { name: string; open: () => Promise<{ options: EngineOptions; dispose: () => Promise<void> }> };

const setups: Setup[] = [
  {
    name: 'SQLite, SQL job queue',
    async open() {
      const database = await createDatabase({ kind: 'memory' });
      return { options: { store: database }, dispose: () => database.close() };
    },
  },
];
const redisUrl = await testRedis();
const postgres = (await testDatabases()).find((backend) => backend.name === 'postgres');
const mongoPlan = testMongoPlan();
if (redisUrl && postgres && mongoPlan.kind !== 'none') {
  setups.push({
    name: 'MongoDB conversations, BullMQ on Redis with PostgreSQL',
    async open() {
      const database = await postgres.open();
      const mongo = await startTestMongo(mongoPlan);
      const prefix = uniquePrefix();
      const conversations = createMongoConversationStore({ url: mongo.url, databaseName: mongo.databaseName });
      return {
        options: { store: database, stores: { conversations }, jobBackend: createBullmqJobBackend({ connection: redisUrl, prefix, database }) },
        async dispose() {
          await conversations.close();
          await mongo.stop();
          await deleteKeys(redisUrl, prefix);
          await database.dispose();
        },
      };
    },
  });
}

const refusal = (work: Promise<unknown>) => work.then(() => undefined, (error: unknown) => error);

describe.each(setups)('replaying an Idempotency-Key after a delete: $name', ({ open }) => {
  it('is refused as deleted for a session, its message, a feature run whose image went and a soft-deleted gallery record; nothing comes back', { timeout: 60_000 }, async () => {
    const { options, dispose } = await open();
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-replay-'));
    let engine: Engine | undefined;
    try {
      engine = await createDefaultEngine({ ...options, dataDir, runner: { pollMs: 50 } });
      const session = await engine.chat.createSession('u1', { idempotencyKey: 'K' });
      const turn = { userId: 'u1', sessionId: session.id, content: 'enhance this photo', image: chelseaPng, idempotencyKey: 'K2' };
      const sent = await engine.chat.send(turn);
      expect((await engine.jobs.wait('u1', sent.jobId)).state).toBe('succeeded');
      expect(await engine.chat.send(turn)).toEqual(sent);
      await engine.chat.deleteSession('u1', session.id);

      expect(await refusal(engine.chat.createSession('u1', { idempotencyKey: 'K' }))).toMatchObject({ code: 'conflict', status: 409, details: { reason: 'deleted', session_id: session.id }, message: expect.stringMatching(/deleted.*use a new Idempotency-Key/) });
      expect(await refusal(engine.chat.send(turn))).toMatchObject({ code: 'conflict', details: { reason: 'deleted', session_id: session.id } });
      expect(await refusal(engine.chat.getSession('u1', session.id))).toMatchObject({ code: 'not_found' });
      expect(await refusal(engine.chat.send({ ...turn, sessionId: 'ses_never_was' }))).toMatchObject({ code: 'not_found' });
      expect((await engine.chat.listSessions('u1')).sessions).toEqual([]);
      // A new key starts afresh.
      expect((await engine.chat.createSession('u1', { idempotencyKey: 'K3' })).id).not.toBe(session.id);

      const run = await engine.run('upscale', { image: chelseaPng, scale: 2 }, { userId: 'u1', idempotencyKey: 'F' });
      const [image] = run.images;
      await engine.gallery.delete('u1', image!.galleryId);
      expect(await refusal(engine.run('upscale', { image: chelseaPng, scale: 2 }, { userId: 'u1', idempotencyKey: 'F' }))).toMatchObject({ code: 'conflict', details: { reason: 'deleted', job_id: run.jobId, gallery_ids: [image!.galleryId] } });
      await engine.gallery.restore('u1', image!.galleryId);
      expect((await engine.run('upscale', { image: chelseaPng, scale: 2 }, { userId: 'u1', idempotencyKey: 'F' })).jobId).toBe(run.jobId);

      const kept = await engine.gallery.create('u1', { image: chelseaPng, intent: 'keep' }, { idempotencyKey: 'G' });
      await engine.gallery.delete('u1', kept.id);
      expect(await refusal(engine.gallery.create('u1', { image: chelseaPng, intent: 'keep' }, { idempotencyKey: 'G' }))).toMatchObject({ code: 'conflict', details: { reason: 'deleted', gallery_id: kept.id } });
      await engine.gallery.restore('u1', kept.id);
      expect((await engine.gallery.create('u1', { image: chelseaPng, intent: 'keep' }, { idempotencyKey: 'G' })).id).toBe(kept.id);
      // A permanent delete forgets the record and its key: the same request records the image anew.
      await engine.gallery.deletePermanently('u1', kept.id);
      const again = await engine.gallery.create('u1', { image: chelseaPng, intent: 'keep' }, { idempotencyKey: 'G' });
      expect(again.id).not.toBe(kept.id);
    } finally {
      await engine?.close();
      await dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

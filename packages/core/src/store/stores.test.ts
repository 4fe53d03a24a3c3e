import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/test-databases.js';
import type { Database } from './create-database.js';
import { createAssetStore } from './asset-store.js';
import { createGalleryStore } from './gallery-store.js';
import { createMessageStore } from './message-store.js';
import { createSessionStore } from './session-store.js';
import { createWebhookStore } from './webhook-store.js';
import { createId } from './create-id.js';

const backends = await testDatabases();

const galleryRow = (userId: string, overrides: Partial<Parameters<ReturnType<typeof createGalleryStore>['insertOnce']>[0]> = {}) => ({
  id: createId('img'),
  user_id: userId,
  asset_id: createId('ast'),
  image_url: '/v1/assets/x',
  refined_prompt: 'a prompt',
  intent: 'image_generate',
  feature: 'generate',
  provider: 'local',
  model: 'm',
  seed: 42,
  source: 'direct',
  session_id: null,
  metadata: JSON.stringify({ source: 'direct' }),
  effect_key: null,
  created_at: Date.now(),
  deleted_at: null,
  ...overrides,
});

describe.each(backends)('stores on $name', (backend) => {
  let database: Database & { dispose(): Promise<void> };
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('keeps a webhook outbox: waiting until ready, claimed once per attempt, delivered or given up', async () => {
    const webhooks = createWebhookStore(database.db);
    const jobId = createId('job');
    await webhooks.register({ jobId, userId: 'u1', url: 'https://example.com/a' });
    await webhooks.register({ jobId, userId: 'u1', url: 'https://example.com/other' });
    expect((await webhooks.get(jobId))!.url).toBe('https://example.com/a');
    expect((await webhooks.waiting(1000)).map((row) => row.job_id)).toContain(jobId);
    expect((await webhooks.due(Date.now(), 1000)).map((row) => row.job_id)).not.toContain(jobId);
    await webhooks.ready(jobId, 1000);
    await webhooks.ready(jobId, 5000);
    expect((await webhooks.get(jobId))!.next_attempt_at).toBe(1000);
    expect((await webhooks.due(2000, 1000)).map((row) => row.job_id)).toContain(jobId);
    expect(await webhooks.claim(jobId, 0, 9000)).toBe(true);
    expect(await webhooks.claim(jobId, 0, 9000)).toBe(false);
    expect((await webhooks.due(2000, 1000)).map((row) => row.job_id)).not.toContain(jobId);
    await webhooks.failed(jobId, 'HTTP 500', 3000, 2500);
    expect((await webhooks.due(3000, 1000)).map((row) => row.job_id)).toContain(jobId);
    expect(await webhooks.claim(jobId, 1, 9000)).toBe(true);
    await webhooks.delivered(jobId, 4000);
    expect(await webhooks.get(jobId)).toMatchObject({ attempts: 2, delivered_at: 4000, last_error: null });
    expect((await webhooks.due(1e15, 1000)).map((row) => row.job_id)).not.toContain(jobId);
    const doomed = createId('job');
    await webhooks.register({ jobId: doomed, userId: 'u1', url: 'https://example.com/b' });
    await webhooks.ready(doomed, 1);
    expect(await webhooks.claim(doomed, 0, 2)).toBe(true);
    await webhooks.failed(doomed, 'gone', null, 3);
    expect(await webhooks.get(doomed)).toMatchObject({ gave_up_at: 3, next_attempt_at: null });
    expect((await webhooks.waiting(1000)).map((row) => row.job_id)).not.toContain(doomed);
  });

  it('keeps sessions per user and deletes their messages with them', async () => {
    const sessions = createSessionStore(database.db);
    const messages = createMessageStore(database.db);
    const session = await sessions.create({ userId: 'alice', title: 'holiday' });
    expect(await sessions.get('alice', session.id)).toMatchObject({ id: session.id, title: 'holiday' });
    expect(await sessions.get('bob', session.id)).toBeUndefined();
    await messages.insertOnce({ id: 'm1', sessionId: session.id, userId: 'alice', role: 'user', content: 'hi', status: null, createdAt: 1 });
    expect(await sessions.delete('bob', session.id)).toBe(false);
    expect(await sessions.delete('alice', session.id)).toBe(true);
    expect(await messages.list('alice', session.id)).toEqual({ messages: [], next_cursor: null });
  });

  it('inserts a message once and completes it idempotently', async () => {
    const session = await createSessionStore(database.db).create({ userId: 'alice' });
    const messages = createMessageStore(database.db);
    const message = { id: createId('msg'), sessionId: session.id, userId: 'alice', role: 'assistant' as const, content: '', status: 'PROCESSING' as const, createdAt: 5 };
    await messages.insertOnce(message);
    await messages.insertOnce({ ...message, content: 'second write is ignored' });
    await messages.complete(message.id, { status: 'DONE', content: 'done', data: { image_url: '/x', intents: [{ intent: 'i', feature: 'f', confidence: 0.9 }] } });
    await messages.complete(message.id, { status: 'DONE', content: 'done', data: { image_url: '/x', intents: [{ intent: 'i', feature: 'f', confidence: 0.9 }] } });
    const list = (await messages.list('alice', session.id)).messages;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'DONE', content: 'done', image_url: '/x', intents: [{ intent: 'i' }] });
    expect(await messages.get('bob', session.id, message.id)).toBeUndefined();
  });

  it('writes a gallery row once per effect key', async () => {
    const gallery = createGalleryStore(database.db);
    const first = await gallery.insertOnce(galleryRow('carol', { effect_key: 'job1:step-0:image-0' }));
    const again = await gallery.insertOnce(galleryRow('carol', { effect_key: 'job1:step-0:image-0' }));
    expect(again.id).toBe(first.id);
    expect((await gallery.list('carol')).items).toHaveLength(1);
  });

  it('soft-deletes, lists deleted, restores and deletes permanently', async () => {
    const gallery = createGalleryStore(database.db);
    const item = await gallery.insertOnce(galleryRow('dave'));
    expect(await gallery.softDelete('eve', item.id)).toBe(false);
    expect(await gallery.softDelete('dave', item.id)).toBe(true);
    expect(await gallery.get('dave', item.id)).toBeUndefined();
    expect((await gallery.list('dave', { deleted: true })).items.map((row) => row.id)).toEqual([item.id]);
    expect((await gallery.list('dave')).items).toEqual([]);
    expect((await gallery.restore('dave', item.id))?.deleted_at).toBeNull();
    expect(await gallery.deletePermanently('eve', item.id)).toBeUndefined();
    expect((await gallery.deletePermanently('dave', item.id))?.id).toBe(item.id);
    expect(await gallery.get('dave', item.id, { includeDeleted: true })).toBeUndefined();
  });

  it('pages the gallery newest first with filters', async () => {
    const gallery = createGalleryStore(database.db);
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const chat = index % 2 === 0;
      const row = galleryRow('frank', {
        source: chat ? 'chat' : 'direct',
        session_id: chat ? 'ses_1' : null,
        intent: chat ? 'image_generate' : 'image_upscale',
        metadata: JSON.stringify(chat ? { source: 'chat', session_id: 'ses_1', message_id: 'm' } : { source: 'direct' }),
      });
      ids.push((await gallery.insertOnce(row)).id);
    }
    const first = await gallery.list('frank', { limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([ids[4], ids[3]]);
    const second = await gallery.list('frank', { limit: 2, cursor: first.next_cursor! });
    expect(second.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const last = await gallery.list('frank', { limit: 2, cursor: second.next_cursor! });
    expect(last.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(last.next_cursor).toBeNull();
    const chat = await gallery.list('frank', { source: 'chat', sessionId: 'ses_1' });
    expect(chat.items).toHaveLength(3);
    expect(chat.items[0]!.metadata).toEqual({ source: 'chat', session_id: 'ses_1', message_id: 'm' });
    expect((await gallery.list('frank', { intent: 'image_upscale' })).items).toHaveLength(2);
  });

  it('keeps asset rows per user over one content-addressed file', async () => {
    const assets = createAssetStore(database.db);
    const row = (userId: string, effect: string | null) => ({
      id: createId('ast'), user_id: userId, sha256: 'a'.repeat(64), mime_type: 'image/png', size: 10, width: 2, height: 3, effect_key: effect, created_at: Date.now(),
    });
    const mine = await assets.insertOnce(row('gina', 'job9:run:image-0'));
    expect((await assets.insertOnce(row('gina', 'job9:run:image-0'))).id).toBe(mine.id);
    const theirs = await assets.insertOnce(row('hank', null));
    expect(await assets.get('hank', mine.id)).toBeUndefined();
    expect(await assets.delete(mine.id)).toEqual({ sha256: 'a'.repeat(64), remote_id: null, stillReferenced: true });
    expect(await assets.delete(theirs.id)).toEqual({ sha256: 'a'.repeat(64), remote_id: null, stillReferenced: false });
  });
});

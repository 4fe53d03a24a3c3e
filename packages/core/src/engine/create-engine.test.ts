import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DarkroomError, defineProvider } from '@darkroom/plugin-api';
import { createDatabase } from '../store/create-database.js';
import { createSqlConversationStore } from '../store/create-sql-conversation-store.js';
import { createInstantProvider, solidPng, testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';

describe('createEngine', () => {
  it('runs in memory with no configuration (stateless use)', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const result = await engine.run('paint', { prompt: 'a boat', size: 32 });
      expect(result.images[0]).toMatchObject({ width: 32, height: 32, mimeType: 'image/png' });
      const { bytes } = await engine.assets.read('local', result.images[0]!.assetId);
      expect(bytes.byteLength).toBeGreaterThan(0);
      expect((await engine.health()).database.dialect).toBe('sqlite');
    } finally {
      await engine.close();
    }
  });

  it('takes stores as options, asks each one whether it is ready, and leaves the given ones open', async () => {
    const database = await createDatabase({ kind: 'memory' });
    const sql = createSqlConversationStore(database);
    let reachable = true;
    let closed = false;
    const conversations = {
      ...sql,
      name: 'flaky',
      ready: async () => {
        if (!reachable) throw new DarkroomError({ code: 'unavailable', message: 'the flaky store did not answer; check its server' });
      },
      close: async () => {
        closed = true;
      },
    };
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], store: database, stores: { conversations } });
    try {
      const session = await engine.chat.createSession('u1', { title: 'kept in the given store' });
      expect(await sql.getSession('u1', session.id)).toMatchObject({ title: 'kept in the given store' });
      expect(await engine.ready()).toMatchObject({ ok: true, stores: { conversations: { name: 'flaky', ok: true }, gallery: { name: 'sql', ok: true }, assets: { ok: true }, webhooks: { ok: true } } });
      reachable = false;
      const ready = await engine.ready();
      expect(ready).toMatchObject({ ok: false, stores: { conversations: { name: 'flaky', ok: false, message: 'the flaky store did not answer; check its server' }, gallery: { ok: true } } });
      expect((await engine.health()).ok).toBe(false);
    } finally {
      await engine.close();
      await database.close();
    }
    expect(closed).toBe(false);
  });

  it('gives two engines in one process nothing in common', async () => {
    const first = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    const second = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider('other')] });
    try {
      const result = await first.run('paint', { prompt: 'only here' });
      await expect(second.gallery.get('local', result.images[0]!.galleryId)).rejects.toMatchObject({ code: 'not_found' });
      expect(second.models().map((model) => model.provider)).toEqual(['other']);
      let seen = 0;
      second.on(() => (seen += 1));
      await first.run('paint', { prompt: 'again' });
      expect(seen).toBe(0);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('keeps state on disk under dataDir and moves inline images to asset storage', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-engine-'));
    try {
      const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], dataDir });
      const png = Buffer.from(await solidPng(10, 6)).toString('base64');
      const job = await engine.submit('enlarge', { image: `data:image/png;base64,${png}`, scale: 2 });
      expect(JSON.stringify(job.input)).not.toContain(png.slice(0, 20));
      expect((job.input as { input: { image: unknown } }).input.image).toEqual({ asset_id: expect.stringMatching(/^ast_/) });
      await engine.jobs.wait('local', job.id);
      await engine.close();
      const reopened = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], dataDir });
      expect((await reopened.gallery.list('local')).items).toHaveLength(1);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('replays a request with the same Idempotency-Key without writing anything twice', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const png = Buffer.from(await solidPng(12, 8)).toString('base64');
      const input = { image: { base64: png, mime_type: 'image/png' }, scale: 2 };
      const first = await engine.run('enlarge', input, { idempotencyKey: 'k-1' });
      const again = await engine.run('enlarge', input, { idempotencyKey: 'k-1' });
      expect(again).toEqual(first);
      const submitted = await engine.submit('enlarge', input, { idempotencyKey: 'k-1' });
      expect(submitted.id).toBe(first.jobId);
      expect((submitted.input as { input: { image: { asset_id: string } } }).input.image.asset_id).toBe(
        ((await engine.submit('enlarge', input, { idempotencyKey: 'k-1' })).input as { input: { image: { asset_id: string } } }).input.image.asset_id,
      );
      const rows = await (engine as unknown as { parts: { database: { db: import('kysely').Kysely<import('../store/database-schema.js').DatabaseSchema> } } }).parts.database.db
        .selectFrom('assets').select('id').execute();
      expect(rows).toHaveLength(2);
      const session = await engine.chat.createSession('local');
      const sentOnce = await engine.chat.send({ userId: 'local', sessionId: session.id, content: 'enlarge it', image: { base64: png }, idempotencyKey: 'c-1' });
      const sentTwice = await engine.chat.send({ userId: 'local', sessionId: session.id, content: 'enlarge it', image: { base64: png }, idempotencyKey: 'c-1' });
      expect(sentTwice).toEqual(sentOnce);
      await engine.jobs.wait('local', sentOnce.jobId);
      expect((await engine.chat.history('local', session.id)).messages).toHaveLength(2);
    } finally {
      await engine.close();
    }
  });

  it('cancels a running job: the AbortSignal reaches the provider call', async () => {
    let aborted = false;
    let started!: () => void;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const hanging = defineProvider({
      id: 'hanging',
      models: [{ id: 'h', capabilities: ['text-to-image'] }],
      handlers: {
        'text-to-image': (_request, { signal }) =>
          new Promise((_, reject) => {
            started();
            signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason)), { once: true });
          }),
      },
    });
    const engine = await createEngine({ plugins: [testPlugin], providers: [hanging] });
    try {
      const job = await engine.submit('paint', { prompt: 'never' });
      await startedPromise;
      await engine.jobs.cancel('local', job.id);
      expect((await engine.jobs.wait('local', job.id)).state).toBe('cancelled');
      expect(aborted).toBe(true);
      await expect(engine.jobs.get('other-user', job.id)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await engine.close();
    }
  });

  it('answers a chat turn cancelled before it ran with a FAILED reply, not an endless PROCESSING', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], runner: { autoStart: false } });
    try {
      const session = await engine.chat.createSession('u1');
      const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'paint a boat' });
      expect((await engine.jobs.cancel('u1', sent.jobId)).state).toBe('cancelled');
      expect(await engine.chat.message('u1', session.id, sent.messageId)).toMatchObject({ status: 'FAILED', data: { error: { code: 'cancelled' } } });
    } finally {
      await engine.close();
    }
  });

  it('publishes progress and step events', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()] });
    try {
      const types: string[] = [];
      engine.on((event) => types.push(event.type));
      const session = await engine.chat.createSession('u1');
      const sent = await engine.chat.send({ userId: 'u1', sessionId: session.id, content: 'paint a boat, then upscale it' });
      await engine.jobs.wait('u1', sent.jobId);
      expect(types).toEqual(expect.arrayContaining(['job.queued', 'job.started', 'step.started', 'step.succeeded', 'job.progress', 'message.updated', 'job.succeeded']));
      const job = await engine.jobs.get('u1', sent.jobId);
      expect(job.steps.map((step) => step.key)).toEqual(['plan', 'step-0:paint', 'step-1:enlarge', 'reply']);
      expect(job.progress).toBe(100);
      expect((await engine.chat.message('u1', session.id, sent.messageId)).data.images).toHaveLength(2);
      await expect(engine.chat.history('u2', session.id)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await engine.close();
    }
  });
});

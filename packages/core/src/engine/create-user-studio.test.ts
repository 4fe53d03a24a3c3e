import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { definePlugin, definePluginRoute, defineRoute, z, type UserStudio } from '@darkroom/plugin-api';
import { createInstantProvider, testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';
import type { Engine } from './engine.js';

const ping = definePluginRoute(
  defineRoute({ method: 'get', path: '/api/v1/ping', operationId: 'ping', summary: 'Ping', description: '', responses: { 200: { description: 'pong', schema: z.object({ user: z.string() }) } } }),
  (_request, studio) => ({ status: 200, body: { user: studio.userId } }),
);

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ plugins: [testPlugin, definePlugin({ name: 'pinger', routes: [ping] })], providers: [createInstantProvider()], runner: { pollMs: 20 } });
});
afterAll(() => engine.close());

const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code);

describe('engine.forUser', () => {
  it('fits the plugin API\'s UserStudio, in the engine\'s own types', () => {
    const studio = engine.forUser('ann') satisfies UserStudio;
    expectTypeOf(studio).toExtend<UserStudio>();
    // The engine's types, not the plugin API's subset: a session still says whose it is.
    expectTypeOf<Awaited<ReturnType<typeof studio.sessions.get>>>().toHaveProperty('userId');
    expect(() => engine.forUser('')).toThrow(/forUser needs the user id/);
  });

  it('keeps the plugins\' routes, tagged with the plugin\'s name', async () => {
    const [registered] = engine.routes.list();
    expect(registered).toMatchObject({ plugin: 'pinger', route: { path: '/api/v1/ping', tag: 'pinger' } });
    const signal = new AbortController().signal;
    expect(await registered!.handle({ params: {}, query: {}, body: undefined, signal }, engine.forUser('ann'))).toEqual({ status: 200, body: { user: 'ann' } });
  });

  it('binds every call to its user: another user\'s sessions, messages and images are not found', async () => {
    const ann = engine.forUser('ann');
    const bob = engine.forUser('bob');
    const session = await ann.sessions.create({ title: 'Rings', description: 'gold, rubies' });
    expect(session).toMatchObject({ userId: 'ann', title: 'Rings', description: 'gold, rubies' });
    const { images } = await ann.features.run('paint', { prompt: 'a ring', size: 16 });
    expect((await ann.sessions.list()).sessions.map((listed) => listed.id)).toContain(session.id);
    expect((await bob.sessions.list()).sessions.map((listed) => listed.id)).not.toContain(session.id);
    for (const attempt of [
      bob.sessions.get(session.id),
      bob.sessions.update(session.id, { title: 'mine now' }),
      bob.sessions.messages(session.id),
      bob.sessions.send(session.id, { content: 'paint a boat' }),
      bob.sessions.delete(session.id),
      bob.gallery.get(images[0]!.galleryId),
      bob.gallery.delete(images[0]!.galleryId),
      bob.features.run('enlarge', { image: { asset_id: images[0]!.assetId } }),
    ]) {
      expect(await code(attempt)).toBe('not_found');
    }
    expect((await bob.gallery.list()).items).toEqual([]);
    expect(await ann.sessions.get(session.id)).toMatchObject({ title: 'Rings' });
  });

  it('updates, pages and deletes sessions', async () => {
    const ann = engine.forUser('carol');
    const first = await ann.sessions.create({ title: 'First' });
    const second = await ann.sessions.create();
    expect(await ann.sessions.update(first.id, { description: 'about boats' })).toMatchObject({ id: first.id, title: 'First', description: 'about boats' });
    expect(await ann.sessions.update(first.id, { title: null })).toMatchObject({ title: null, description: 'about boats' });
    const page = await ann.sessions.list({ limit: 1 });
    expect(page.sessions).toHaveLength(1);
    const rest = await ann.sessions.list({ cursor: page.nextCursor! });
    expect([...page.sessions, ...rest.sessions].map((listed) => listed.id).sort()).toEqual([first.id, second.id].sort());
    await ann.sessions.delete(second.id);
    expect(await code(ann.sessions.get(second.id))).toBe('not_found');
  });

  it('sends a message and waits for the turn: both messages, the assistant\'s with its images (URLs as imageUrl writes them)', async () => {
    const ann = engine.forUser('ann', { imageUrl: (url) => `/studio${url}` });
    const session = await ann.sessions.create({ title: 'Boats' });
    const { userMessage, assistantMessage } = await ann.sessions.sendAndWait(session.id, { content: 'paint a boat', idempotencyKey: 'turn-1' });
    expect(userMessage).toMatchObject({ role: 'user', content: 'paint a boat', sessionId: session.id });
    expect(assistantMessage).toMatchObject({ role: 'assistant', status: 'DONE' });
    const [image] = assistantMessage.data.images!;
    expect(image!.url).toBe(`/studio/v1/assets/${image!.assetId}`);
    // The same key and message: the same turn.
    expect((await ann.sessions.send(session.id, { content: 'paint a boat', idempotencyKey: 'turn-1' })).messageId).toBe(assistantMessage.id);
    const history = await ann.sessions.messages(session.id, { order: 'asc' });
    expect(history.messages.map((message) => message.id)).toEqual([userMessage.id, assistantMessage.id]);
    expect(history.messages[1]!.data.images![0]!.url).toBe(image!.url);
    const gallery = await ann.gallery.list({ sessionId: session.id });
    expect(gallery.items.map((item) => item.id)).toEqual([image!.galleryId]);
    expect(gallery.items[0]!.imageUrl).toBe(image!.url);
  });

  it('runs a feature: the same idempotency key answers the same job; its images are in the gallery until deleted', async () => {
    const ann = engine.forUser('dave');
    const result = await ann.features.run('paint', { prompt: 'a lighthouse', size: 16 }, { idempotencyKey: 'paint-1' });
    expect(result).toMatchObject({ feature: 'paint', provider: 'instant', images: [{ width: 16, height: 16 }] });
    expect((await ann.features.run('paint', { prompt: 'a lighthouse', size: 16 }, { idempotencyKey: 'paint-1' })).jobId).toBe(result.jobId);
    const [image] = result.images;
    expect(await ann.gallery.get(image!.galleryId)).toMatchObject({ assetId: image!.assetId, origin: { source: 'direct' }, feature: 'paint' });
    expect((await ann.gallery.list({ source: 'direct' })).items.map((item) => item.id)).toEqual([image!.galleryId]);
    await ann.gallery.delete(image!.galleryId);
    expect(await code(ann.gallery.get(image!.galleryId))).toBe('not_found');
    expect(await code(ann.features.run('paint', { prompt: 'x', colour: 'red' }))).toBe('invalid_input');
  });

  it('once its signal is aborted, refuses calls and stops waiting', async () => {
    const controller = new AbortController();
    const ann = engine.forUser('ann', { signal: controller.signal });
    const session = await ann.sessions.create();
    controller.abort();
    expect(await code(ann.sessions.get(session.id))).toBe('cancelled');
    expect(await code(ann.features.run('paint', { prompt: 'a boat' }))).toBe('cancelled');
    expect(await code(ann.sessions.sendAndWait(session.id, { content: 'paint a boat' }))).toBe('cancelled');
  });
});

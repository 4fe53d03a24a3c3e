import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@darkroom/core';
import { ApiKeyVerifier, createDefaultEngine, createServer, type DarkroomServer } from '@darkroom/server';

// Seed 004's own routes, contributed by the plugin, through a whole server with two users.
const keys = { ann: 'ann-jewelry-key-0123456789', bob: 'bob-jewelry-key-0123456789' };
let engine: Engine;
let server: DarkroomServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'darkroom-jewelry-routes-'));
  engine = await createDefaultEngine({ dataDir, plugins: ['darkroom-plugin-jewelry'], runner: { pollMs: 20 } });
  server = createServer({ engine, apiKeys: new ApiKeyVerifier([{ userId: 'ann', key: keys.ann }, { userId: 'bob', key: keys.bob }]), playground: false });
});
afterAll(async () => {
  await server.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(user: keyof typeof keys | 'nobody', method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await server.app.request(path, {
    method,
    headers: { ...(user === 'nobody' ? {} : { authorization: `Bearer ${keys[user]}` }), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("seed 004's routes from the jewelry plugin", () => {
  it('chats in a conversation: the design, its properties, then a follow-up that changes one', async () => {
    const created = await call('ann', 'POST', '/api/v1/conversations', { title: 'Engagement ring', description: 'For June' });
    expect(created).toMatchObject({ status: 201, body: { title: 'Engagement ring', description: 'For June' } });
    const id = created.body.id as string;

    const first = await call('ann', 'POST', '/api/v1/chat', { conversation_id: id, message: 'design a rose gold engagement ring with a princess-cut diamond' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      conversation_id: id,
      user_message: { role: 'user', content: 'design a rose gold engagement ring with a princess-cut diamond', conversation_id: id },
      assistant_message: { role: 'assistant', status: 'DONE' },
    });
    expect(first.body.generated_images).toHaveLength(1);
    expect(first.body.generated_images[0]).toMatchObject({
      conversation_id: id,
      message_id: first.body.assistant_message.id,
      image_type: '2d',
      properties: { piece: 'engagement-ring', metal: 'rose-gold', gemstones: [{ kind: 'diamond', cut: 'princess' }] },
      width: 1024,
      height: 1024,
    });
    expect(first.body.assistant_message.images).toEqual([first.body.generated_images[0].image_url]);

    const followUp = await call('ann', 'POST', '/api/v1/chat', { conversation_id: id, message: 'đổi sang vàng trắng' });
    expect(followUp.body.generated_images[0].properties).toMatchObject({ piece: 'engagement-ring', metal: 'white-gold', gemstones: [{ kind: 'diamond', cut: 'princess' }] });

    const read = await call('ann', 'GET', `/api/v1/conversations/${id}`);
    expect(read.body.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(read.body.earlier_messages).toBe(false);
  });

  it('starts a conversation when the chat names none, titled by the message', async () => {
    const reply = await call('ann', 'POST', '/api/v1/chat', { message: 'a platinum pendant with 3 small blue sapphires' });
    expect(reply.status).toBe(200);
    const conversation = await call('ann', 'GET', `/api/v1/conversations/${reply.body.conversation_id}`);
    expect(conversation.body.title).toBe('a platinum pendant with 3 small blue sapphires');
  });

  it('lists, renames and describes conversations, most recently active first', async () => {
    const older = (await call('ann', 'POST', '/api/v1/conversations', { title: 'older' })).body;
    const newer = (await call('ann', 'POST', '/api/v1/conversations', { title: 'newer' })).body;
    const renamed = await call('ann', 'PATCH', `/api/v1/conversations/${older.id}`, { title: 'renamed', description: 'now described' });
    expect(renamed).toMatchObject({ status: 200, body: { id: older.id, title: 'renamed', description: 'now described' } });
    const page = await call('ann', 'GET', '/api/v1/conversations?limit=2');
    expect(page.body.conversations.map((item: { id: string }) => item.id)).toEqual([older.id, newer.id]);
    expect(page.body.next_cursor).toEqual(expect.any(String));
    const next = await call('ann', 'GET', `/api/v1/conversations?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`);
    expect(next.body.conversations.map((item: { id: string }) => item.id)).not.toContain(older.id);
  });

  it('deletes a conversation with its messages, and its images go to the gallery trash', async () => {
    const reply = await call('ann', 'POST', '/api/v1/chat', { message: 'design a silver bangle, hammered' });
    const id = reply.body.conversation_id as string;
    const galleryId = reply.body.generated_images[0].id as string;
    expect((await call('ann', 'DELETE', `/api/v1/conversations/${id}`)).status).toBe(204);
    expect((await call('ann', 'GET', `/api/v1/conversations/${id}`)).status).toBe(404);
    expect((await call('ann', 'GET', `/api/v1/chat/sessions/${id}/messages`)).status).toBe(404);
    // No message is left in the store, and the image is in the trash, restorable.
    await expect(engine.chat.history('ann', id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await engine.gallery.list('ann', { sessionId: id })).items).toHaveLength(0);
    expect((await call('ann', 'GET', '/v1/gallery/deleted')).body.items.map((item: { id: string }) => item.id)).toContain(galleryId);
    expect((await call('ann', 'DELETE', `/api/v1/conversations/${id}`)).status).toBe(404);
    const into = await call('ann', 'POST', '/api/v1/chat', { conversation_id: id, message: 'a gold ring' });
    expect(into.status).toBe(409);
    expect(into.body.error.message).toMatch(/^Conversation ".*" has been deleted/);
  });

  it('draws a sketch or a render directly from properties', async () => {
    const sketch = await call('ann', 'POST', '/api/v1/generate/2d', { prompt: 'a thin twisted band', properties: { piece: 'ring', metal: 'yellow-gold', karat: 18, gemstones: [{ kind: 'ruby', size: 'small', count: 3 }] }, variations: 2, seed: 7 });
    expect(sketch.status).toBe(200);
    expect(sketch.body.success).toBe(true);
    expect(sketch.body.images).toHaveLength(2);
    expect(sketch.body.images[0]).toMatchObject({ image_type: '2d', conversation_id: null, properties: { piece: 'ring', karat: 18, render: '2d' } });
    expect(sketch.body.images[0].prompt).toMatch(/^Jewelry design sketch of a polished 18k yellow gold ring, set with 3 small rubies\..*Details: a thin twisted band\.$/);
    const render = await call('ann', 'POST', '/api/v1/generate/3d', { properties: { piece: 'earrings', metal: 'platinum', gemstones: [{ kind: 'pearl' }] } });
    expect(render.body.images[0]).toMatchObject({ image_type: '3d', properties: { piece: 'earrings', render: '3d' } });
    // The gallery records the properties with the image.
    const item = (await call('ann', 'GET', `/v1/gallery/${render.body.images[0].id}`)).body;
    expect(item.metadata.jewelry).toMatchObject({ piece: 'earrings', metal: 'platinum' });
    // The gallery's prompt is the one the design was drawn from, not the user's words.
    expect(item.refined_prompt).toBe(render.body.images[0].prompt);
  });

  it('answers the same turn to a repeat under one Idempotency-Key', async () => {
    const body = { message: 'design a minimalist titanium ring' };
    const headers = { 'idempotency-key': 'jewelry-chat-1' };
    const first = await call('ann', 'POST', '/api/v1/chat', body, headers);
    const again = await call('ann', 'POST', '/api/v1/chat', body, headers);
    expect(again.body.assistant_message.id).toBe(first.body.assistant_message.id);
    expect(again.body.generated_images.map((image: { id: string }) => image.id)).toEqual(first.body.generated_images.map((image: { id: string }) => image.id));
  });

  it('scopes an Idempotency-Key to its route: the same key on another route is another request', async () => {
    const body = { properties: { piece: 'ring' }, seed: 3 };
    const headers = { 'idempotency-key': 'jewelry-shared-key' };
    const sketch = await call('ann', 'POST', '/api/v1/generate/2d', body, headers);
    const render = await call('ann', 'POST', '/api/v1/generate/3d', body, headers);
    expect(render.status).toBe(200);
    expect(render.body.images[0].id).not.toBe(sketch.body.images[0].id);
    const conversation = await call('ann', 'POST', '/api/v1/conversations', { title: 'shared key' }, headers);
    const session = await call('ann', 'POST', '/api/v1/chat/sessions', { title: 'shared key' }, headers);
    expect(session.body.session_id).not.toBe(conversation.body.id);
  });

  it('says "Conversation" when one is not found', async () => {
    for (const [method, path] of [['GET', '/api/v1/conversations/ses_missing'], ['DELETE', '/api/v1/conversations/ses_missing']] as const) {
      expect((await call('ann', method, path)).body.error.message).toMatch(/^Conversation "ses_missing"/);
    }
    expect((await call('ann', 'POST', '/api/v1/chat', { conversation_id: 'ses_missing', message: 'a ring' })).body.error.message).toMatch(/^Conversation "ses_missing"/);
  });

  it('refuses bad input with a 4xx that names the field, and stores nothing', async () => {
    const before = (await engine.chat.listSessions('ann', { limit: 100 })).sessions.length;
    const refusals: Array<[string, string, unknown, string]> = [
      ['POST', '/api/v1/chat', { message: '' }, 'message'],
      ['POST', '/api/v1/chat', { message: 'hi', conversation: 'x' }, '"conversation" is not taken'],
      ['POST', '/api/v1/conversations', { title: 'x'.repeat(201) }, 'title'],
      ['PATCH', '/api/v1/conversations/ses_any', {}, 'give title, description or both'],
      ['POST', '/api/v1/generate/2d', { properties: { metal: 'silver' } }, 'properties.piece'],
      ['POST', '/api/v1/generate/2d', { properties: { piece: 'ring', metal: 'silver', karat: 18 } }, 'karat applies to gold'],
      ['POST', '/api/v1/generate/3d', { properties: { piece: 'crown' } }, 'properties.piece'],
      ['POST', '/api/v1/generate/3d', { properties: { piece: 'ring' }, variations: 9 }, 'variations'],
      ['POST', '/api/v1/generate/3d', { properties: { piece: 'ring', render: '2d' } }, '"render" is not taken'],
      ['POST', '/api/v1/generate/2d', { properties: { piece: 'ring', karat: 17 } }, 'karat must be one of 10, 14, 18, 22, 24'],
    ];
    for (const [method, path, body, says] of refusals) {
      const answer = await call('ann', method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error.code).toBe('invalid_input');
      expect(answer.body.error.message).toContain(says);
    }
    expect((await call('ann', 'POST', '/api/v1/chat', { conversation_id: 'ses_missing', message: 'a ring' })).status).toBe(404);
    expect((await engine.chat.listSessions('ann', { limit: 100 })).sessions.length).toBe(before);
  });

  it('keeps each user to their own conversations, and asks everyone for a key', async () => {
    const mine = (await call('ann', 'POST', '/api/v1/conversations', { title: 'private' })).body;
    expect((await call('bob', 'GET', `/api/v1/conversations/${mine.id}`)).status).toBe(404);
    expect((await call('bob', 'PATCH', `/api/v1/conversations/${mine.id}`, { title: 'mine now' })).status).toBe(404);
    expect((await call('bob', 'DELETE', `/api/v1/conversations/${mine.id}`)).status).toBe(404);
    expect((await call('bob', 'POST', '/api/v1/chat', { conversation_id: mine.id, message: 'a ring' })).status).toBe(404);
    expect((await call('bob', 'GET', '/api/v1/conversations')).body.conversations.map((item: { id: string }) => item.id)).not.toContain(mine.id);
    for (const [method, path] of [['GET', '/api/v1/conversations'], ['POST', '/api/v1/chat'], ['POST', '/api/v1/generate/2d']] as const) {
      expect((await call('nobody', method, path, method === 'POST' ? {} : undefined)).status, path).toBe(401);
    }
  });

  it('documents every route in OpenAPI under the plugin', async () => {
    const document = (await call('ann', 'GET', '/openapi.json')).body;
    for (const [path, method] of [['/api/v1/chat', 'post'], ['/api/v1/conversations', 'get'], ['/api/v1/conversations', 'post'], ['/api/v1/conversations/{id}', 'get'], ['/api/v1/conversations/{id}', 'patch'], ['/api/v1/conversations/{id}', 'delete'], ['/api/v1/generate/2d', 'post'], ['/api/v1/generate/3d', 'post']]) {
      expect(document.paths[path]?.[method], `${method} ${path}`).toMatchObject({ tags: ['Jewelry designer'] });
    }
    expect(document.paths['/api/v1/generate/2d'].post.requestBody.content['application/json'].schema).toBeDefined();
  });
});

describe('a chat refused before its turn starts', () => {
  it('leaves no conversation behind when it started one', async () => {
    const limited = createServer({ engine, apiKeys: new ApiKeyVerifier([{ userId: 'carol', key: 'carol-jewelry-key-0123456789' }]), rateLimit: { limit: 2, windowSeconds: 60 }, playground: false });
    try {
      const response = await limited.app.request('/api/v1/chat', {
        method: 'POST',
        headers: { authorization: 'Bearer carol-jewelry-key-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'design 3 gold rings' }),
      });
      expect(response.status).toBe(429);
      expect((await engine.chat.listSessions('carol')).sessions).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

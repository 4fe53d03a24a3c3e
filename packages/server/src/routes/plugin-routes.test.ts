import SwaggerParser from '@apidevtools/swagger-parser';
import { createEngine, definePlugin, definePluginRoute, defineRoute, z, type AnyPluginRoute, type Engine } from '@darkroom/core';
import { createDarkroomClient } from '@darkroom/client';
import upscale from '@darkroom/plugin-upscale';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ApiKeyVerifier, parseApiKeys } from '../auth/api-keys.js';
import { createServer } from '../create-server.js';
import routeTestPlugin, { createConversation, getConversation, listConversations } from '../testing/route-test-plugin.js';
import { keys, startTestServer, type TestServer } from '../testing/test-server.js';

let test: TestServer;
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  test = await startTestServer({ engine: { plugins: [routeTestPlugin] }, server: { basePath: '/studio', log: (entry) => logged.push(entry) } });
});
afterAll(() => test.close());

/** An answer's status and JSON body (read as the test expects it). */
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });
const create = async (user: 'ann' | 'bob', title: string, headers: Record<string, string> = {}) => json(await test.call(user, 'POST', '/api/v1/conversations', { title }, headers));

/** An engine that runs nothing (with the upscale feature and a plugin per list of routes), for servers that are only built, to see what they refuse. */
async function idleEngine(...routes: AnyPluginRoute[][]): Promise<Engine> {
  return createEngine({ plugins: [upscale, ...routes.map((list, index) => definePlugin({ name: `plugin-${index + 1}`, routes: list }))], runner: { autoStart: false } });
}
const answersOk = { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } };
const route = (method: 'get' | 'post', path: string, operationId: string) =>
  definePluginRoute(defineRoute({ method, path, operationId, summary: operationId, description: '', responses: answersOk }), () => ({ status: 200, body: { ok: true } }));

describe('plugin routes', () => {
  it('answer through the server: create (POST), read (GET), change (PATCH), list and delete', async () => {
    const created = await create('ann', 'Rings');
    expect(created).toMatchObject({ status: 201, body: { title: 'Rings', description: null } });
    const id = created.body.id as string;
    expect(await json(await test.call('ann', 'GET', `/api/v1/conversations/${id}`))).toMatchObject({ status: 200, body: { id, title: 'Rings' } });
    expect(await json(await test.call('ann', 'PATCH', `/api/v1/conversations/${id}/`, { description: 'gold and rubies' }))).toMatchObject({ status: 200, body: { title: 'Rings', description: 'gold and rubies' } });
    const listed = await json(await test.call('ann', 'GET', '/api/v1/conversations?limit=5'));
    expect(listed.body.conversations.map((item: { id: string }) => item.id)).toContain(id);
    expect((await test.call('ann', 'DELETE', `/api/v1/conversations/${id}`)).status).toBe(204);
    expect((await json(await test.call('ann', 'GET', `/api/v1/conversations/${id}`))).body.error.code).toBe('not_found');
  });

  it('run a chat turn through the caller\'s studio, with image URLs under the server\'s base path', { timeout: 60_000 }, async () => {
    const { body: conversation } = await create('ann', 'Sketches');
    const turn = await json(await test.call('ann', 'POST', '/api/v1/chat', { conversation_id: conversation.id, message: 'create a picture of a red ring' }));
    expect(turn.status).toBe(200);
    expect(turn.body.user_message).toMatchObject({ role: 'user', content: 'create a picture of a red ring' });
    expect(turn.body.assistant_message).toMatchObject({ role: 'assistant', status: 'DONE' });
    expect(turn.body.assistant_message.images[0].url).toMatch(/^\/studio\/v1\/assets\/ast_/);
  });

  it('refuse a query or body their schemas refuse: 400 invalid_input naming the field', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/api/v1/conversations', {}, /^Invalid body: title: /],
      ['POST', '/api/v1/conversations', { title: 'x', colour: 'red' }, /"colour" is not taken here; the body takes title, description/],
      ['PATCH', '/api/v1/conversations/ses_x', { title: '' }, /^Invalid body: title: /],
      ['GET', '/api/v1/conversations?limit=0', undefined, /^Invalid query: limit: /],
      ['GET', '/api/v1/conversations?sort=asc', undefined, /"sort" is not taken here; the query takes limit, cursor/],
      ['POST', '/api/v1/chat', { conversation_id: 'ses_x' }, /^Invalid body: message: /],
    ];
    for (const [method, path, body, message] of cases) {
      const refused = await json(await test.call('ann', method, path, body));
      expect(refused.status, `${method} ${path}`).toBe(400);
      expect(refused.body.error, `${method} ${path}`).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    }
  });

  it('never send an answer their schema refuses: a 500 that shows nothing of it (the log says why)', async () => {
    const answer = await test.call('ann', 'GET', '/api/v1/broken');
    expect(answer.status).toBe(500);
    const text = await answer.text();
    expect(JSON.parse(text).error).toMatchObject({ code: 'internal', message: 'Internal error' });
    expect(text).not.toMatch(/hunter2|secret|database/);
    expect(logged.some((entry) => entry.level === 'error' && /brokenAnswer answered a body its schema refuses/.test(String(entry.message)))).toBe(true);
  });

  it('need an API key, every one of them (a plugin route is never public)', async () => {
    for (const [method, path] of [['GET', '/api/v1/conversations'], ['POST', '/api/v1/conversations'], ['GET', '/api/v1/conversations/ses_x'], ['PATCH', '/api/v1/conversations/ses_x'], ['DELETE', '/api/v1/conversations/ses_x'], ['POST', '/api/v1/chat']] as const) {
      const response = await test.call('nobody', method, path, method === 'POST' || method === 'PATCH' ? { title: 'x' } : undefined);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect((await json(response)).body.error.code).toBe('unauthorized');
    }
  });

  it('keep users apart: another user\'s conversation is not found, nor listed', async () => {
    const { body: mine } = await create('ann', 'Ann only');
    for (const [method, path, body] of [['GET', `/api/v1/conversations/${mine.id}`], ['PATCH', `/api/v1/conversations/${mine.id}`, { title: 'Bob now' }], ['DELETE', `/api/v1/conversations/${mine.id}`], ['POST', '/api/v1/chat', { conversation_id: mine.id, message: 'paint a boat' }]] as const) {
      const response = await json(await test.call('bob', method, path, body));
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Ann only');
    }
    const bobs = await json(await test.call('bob', 'GET', '/api/v1/conversations'));
    expect(bobs.body.conversations.map((item: { id: string }) => item.id)).not.toContain(mine.id);
    expect((await json(await test.call('ann', 'GET', `/api/v1/conversations/${mine.id}`))).body.title).toBe('Ann only');
  });

  it('hand a POST\'s Idempotency-Key to the handler, which passes it to the engine: the same key answers the same conversation', async () => {
    const first = await create('ann', 'Once', { 'idempotency-key': 'plugin-key-1' });
    const again = await create('ann', 'Once', { 'idempotency-key': 'plugin-key-1' });
    expect(again.body.id).toBe(first.body.id);
    expect((await create('ann', 'Other title', { 'idempotency-key': 'plugin-key-1' })).body.error.code).toBe('idempotency_mismatch');
    // Another user's same key is another request.
    expect((await create('bob', 'Once', { 'idempotency-key': 'plugin-key-1' })).body.id).not.toBe(first.body.id);
    expect((await create('ann', 'Once')).body.id).not.toBe(first.body.id);
    // The server's guard checks the key as on its own routes.
    expect((await create('ann', 'Once', { 'idempotency-key': 'ü' })).body.error.message).toMatch(/Idempotency-Key must be 1 to 255 visible ASCII characters/);
  });

  it('run features through the caller\'s studio: images stored, in the gallery, under the base path', async () => {
    const made = await json(await test.call('ann', 'POST', '/api/v1/generate/2d', { prompt: 'a silver ring', num_images: 2 }));
    expect(made.status).toBe(200);
    expect(made.body.images).toHaveLength(2);
    expect(made.body.images[0]).toMatchObject({ url: expect.stringMatching(/^\/studio\/v1\/assets\//), width: 64 });
    expect((await test.call('ann', 'GET', `/v1/gallery/${made.body.images[0].id}`)).status).toBe(200);
    expect((await test.call('bob', 'GET', `/v1/gallery/${made.body.images[0].id}`)).status).toBe(404);
  });

  it('count toward the API key\'s rate limit, the work they start too', async () => {
    const limited = createServer({ engine: test.engine, apiKeys: new ApiKeyVerifier(parseApiKeys(`ann:${keys.ann}`)), rateLimit: { limit: 3, windowSeconds: 60 }, playground: false });
    try {
      const headers = { authorization: `Bearer ${keys.ann}`, 'content-type': 'application/json' };
      // Four images cost four units: more than the window holds, refused before anything runs.
      const costly = await limited.app.request('/api/v1/generate/2d', { method: 'POST', headers, body: JSON.stringify({ prompt: 'a ring', num_images: 4 }) });
      expect(costly.status).toBe(429);
      expect((await costly.json()).error.message).toMatch(/costs 4 units of work/);
      const call = () => limited.app.request('/api/v1/conversations', { headers });
      expect((await call()).status).toBe(200);
      const third = await call();
      expect(third.status).toBe(200);
      expect(third.headers.get('ratelimit-remaining')).toBe('0');
      const fourth = await call();
      expect(fourth.status).toBe(429);
      expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });

  it('are documented in OpenAPI with their schemas, tagged with the plugin\'s name unless they name a tag', async () => {
    const { body: document } = await json(await test.call('nobody', 'GET', '/openapi.json'));
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
    const conversations = document.paths['/api/v1/conversations'];
    expect(conversations.get).toMatchObject({ operationId: 'listConversations', tags: ['route-test-plugin'] });
    expect(conversations.get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['limit', 'cursor']);
    expect(conversations.post.requestBody.content['application/json'].schema).toMatchObject({ required: ['title'], properties: { title: { type: 'string', maxLength: 200 } } });
    expect(conversations.post.parameters.map((parameter: { name: string }) => parameter.name)).toContain('Idempotency-Key');
    expect(conversations.post.responses['201'].content['application/json'].schema.properties.created_at).toBeDefined();
    expect(Object.keys(conversations.post.responses)).toEqual(expect.arrayContaining(['400', '401', '409', '422', '429', '500']));
    expect(conversations.post.security).toBeUndefined();
    const one = document.paths['/api/v1/conversations/{id}'];
    expect(Object.keys(one).sort()).toEqual(['delete', 'get', 'patch']);
    expect(one.patch.requestBody.content['application/json'].schema.properties.description).toBeDefined();
    expect(document.paths['/api/v1/chat'].post.tags).toEqual(['Jewelry chat']);
    expect(document.tags.map((tag: { name: string }) => tag.name)).toEqual(expect.arrayContaining(['route-test-plugin', 'Jewelry chat']));
  });

  it('are called by @darkroom/client from their declarations, typed from their schemas', async () => {
    const client = createDarkroomClient({ baseUrl: 'http://darkroom.test', apiKey: keys.ann, fetch: (input, init) => Promise.resolve(test.server.app.request(input as string, init)) });
    const created = await client.call(createConversation, { body: { title: 'From the client' } }, { idempotencyKey: 'client-key-1' });
    expectTypeOf(created).toEqualTypeOf<{ id: string; title: string | null; description: string | null; created_at: string; updated_at: string }>();
    expect((await client.call(createConversation, { body: { title: 'From the client' } }, { idempotencyKey: 'client-key-1' })).id).toBe(created.id);
    expect(await client.call(getConversation, { params: { id: created.id } })).toEqual(created);
    const page = await client.call(listConversations, { query: { limit: 100 } });
    expectTypeOf(page.next_cursor).toEqualTypeOf<string | null>();
    expect(page.conversations.map((item) => item.id)).toContain(created.id);
    await expect(client.call(getConversation, { params: { id: 'ses_missing' } })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('plugin routes that cannot be mounted', () => {
  it('are refused at start, naming both routes, when they would answer the requests of a built-in route or another plugin\'s', async () => {
    const cases: Array<[AnyPluginRoute[][], RegExp]> = [
      [[[route('post', '/api/v1/chat/sessions', 'mySessions')]], /Plugin "plugin-1"'s route POST \/api\/v1\/chat\/sessions \(mySessions\) would answer the same requests as the built-in route POST \/api\/v1\/chat\/sessions \(createSession\): give it another path/],
      [[[route('get', '/v1/gallery/{photo}', 'photo')]], /would answer the same requests as the built-in route GET \/v1\/gallery\/deleted \(listDeletedGallery\)/],
      [[[route('post', '/v1/features/upscale', 'myUpscale')]], /as the built-in route POST \/v1\/features\/upscale \(runFeature_upscale\)/],
      [[[route('get', '/api/v1/things/{id}', 'thing')], [route('get', '/api/v1/things/{name}', 'otherThing')]], /Plugin "plugin-2"'s route GET \/api\/v1\/things\/\{name\} \(otherThing\) would answer the same requests as plugin "plugin-1"'s route GET \/api\/v1\/things\/\{id\} \(thing\)/],
      [[[route('get', '/api/v1/things', 'things')], [route('post', '/api/v1/other', 'things')]], /Plugin "plugin-2"'s route POST \/api\/v1\/other \(things\) has the operationId of plugin "plugin-1"'s route GET \/api\/v1\/things \(things\)/],
      [[[route('get', '/api/v1/things', 'getJob')]], /has the operationId of the built-in route GET \/v1\/jobs\/\{id\} \(getJob\)/],
      [[[route('get', '/docs/plugin.js', 'script')]], /GET \/docs\/plugin\.js \(script\) is under a path the server serves without an API key/],
    ];
    for (const [plugins, message] of cases) {
      const engine = await idleEngine(...plugins);
      try {
        expect(() => createServer({ engine, playground: false }), String(message)).toThrow(message);
        try {
          createServer({ engine, playground: false });
        } catch (error) {
          expect((error as { code?: string }).code).toBe('configuration');
        }
      } finally {
        await engine.close();
      }
    }
    // The same path with another method is another route.
    const engine = await idleEngine([route('get', '/v1/prompt/refine', 'myRefinements')]);
    try {
      expect(createServer({ engine, playground: false }).routes.routes.map((mounted) => mounted.operationId)).toContain('myRefinements');
    } finally {
      await engine.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chelseaDataUri, keys, startTestServer, waitForMessage, type TestServer } from './testing/test-server.js';

let test: TestServer;
const ann: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestServer();
  const session = await (await test.call('ann', 'POST', '/api/v1/chat/sessions', { title: 'ann only' })).json();
  ann.session = session.session_id;
  const sent = await (await test.call('ann', 'POST', `/api/v1/chat/sessions/${ann.session}/messages`, { content: 'upscale this 2x', image: chelseaDataUri })).json();
  ann.message = sent.message_id;
  ann.chatJob = sent.job_id;
  const done = await waitForMessage(test, 'ann', ann.session, ann.message);
  expect(done.status).toBe('DONE');
  const result = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri })).json();
  ann.job = result.job_id;
  ann.asset = result.images[0].asset_id;
  ann.assetUrl = result.images[0].url;
  ann.gallery = result.images[0].gallery_id;
  const kept = await (await test.call('ann', 'POST', '/v1/gallery', { image: { asset_id: ann.asset }, refined_prompt: 'mine' })).json();
  ann.deleted = kept.id;
  expect((await test.call('ann', 'DELETE', `/v1/gallery/${ann.deleted}`)).status).toBe(204);
}, 120_000);

afterAll(() => test.close());

describe('per-user isolation', () => {
  it('refuses requests without a valid key (public paths excepted)', async () => {
    for (const [method, path] of [['GET', '/v1/gallery'], ['POST', '/api/v1/chat/sessions'], ['GET', `/v1/jobs/${ann.job}`], ['GET', ann.assetUrl]] as const) {
      const response = await test.call('nobody', method, path, method === 'POST' ? {} : undefined);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await response.json()).error.code).toBe('unauthorized');
    }
    const wrong = await test.server.app.request('/v1/gallery', { headers: { 'x-api-key': 'not-a-key-0123456789' } });
    expect(wrong.status).toBe(401);
    expect((await test.server.app.request('/v1/gallery', { headers: { 'x-api-key': 'ann-key-0123456789abcdef' } })).status).toBe(200);
    expect((await test.server.app.request('/v1/gallery', { headers: { authorization: 'Basic YW5uOmtleQ==' } })).status).toBe(401);
    // Two credentials that disagree are refused, whichever way round (never "acts as bob").
    for (const headers of [
      { authorization: `Bearer ${keys.ann}`, 'x-api-key': keys.bob },
      { authorization: `Bearer ${keys.bob}`, 'x-api-key': keys.ann },
      { authorization: `Bearer ${keys.ann}`, 'x-api-key': 'not-a-key-0123456789' },
    ]) {
      const conflicting = await test.server.app.request('/v1/gallery', { headers });
      expect(conflicting.status).toBe(401);
      expect((await conflicting.json()).error.message).toMatch(/different keys/);
    }
    expect((await test.server.app.request('/v1/gallery', { headers: { authorization: `Bearer ${keys.ann}`, 'x-api-key': keys.ann } })).status).toBe(200);
    for (const path of ['/health', '/ready', '/metrics', '/openapi.json', '/docs']) expect((await test.call('nobody', 'GET', path)).status, path).toBe(200);
  });

  it('a second user probing every route with the first user\'s ids gets 404 each time', async () => {
    const probes: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/chat/sessions/${ann.session}`],
      ['PATCH', `/api/v1/chat/sessions/${ann.session}`, { title: 'taken over' }],
      ['DELETE', `/api/v1/chat/sessions/${ann.session}`],
      ['POST', `/api/v1/chat/sessions/${ann.session}/messages`, { content: 'upscale it 2x' }],
      ['GET', `/api/v1/chat/sessions/${ann.session}/messages`],
      ['GET', `/api/v1/chat/sessions/${ann.session}/messages/${ann.message}`],
      ['GET', `/api/v1/chat/sessions/${ann.session}/events`],
      ['GET', `/v1/jobs/${ann.job}`],
      ['GET', `/v1/jobs/${ann.chatJob}`],
      ['DELETE', `/v1/jobs/${ann.job}`],
      ['GET', `/v1/jobs/${ann.job}/events`],
      ['GET', `/v1/gallery/${ann.gallery}`],
      ['DELETE', `/v1/gallery/${ann.gallery}`],
      ['POST', `/v1/gallery/${ann.deleted}/restore`],
      ['DELETE', `/v1/gallery/${ann.gallery}/permanent`],
      ['GET', ann.assetUrl!],
      ['GET', `/v1/assets/${ann.asset}`],
      ['POST', `/v1/assets/${ann.asset}/signed-url`, {}],
      ['POST', '/v1/features/upscale', { image: { asset_id: ann.asset }, scale: 2 }],
      ['POST', '/v1/features/object-removal', { image: chelseaDataUri, mask: { asset_id: ann.asset } }],
      ['POST', '/v1/gallery', { image: { asset_id: ann.asset } }],
      ['POST', `/api/v1/chat/sessions/${ann.session}/messages`, { content: 'enhance', image: { asset_id: ann.asset } }],
    ];
    for (const [method, path, body] of probes) {
      const response = await test.call('bob', method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect((await response.json()).error.code).toBe('not_found');
    }
    for (const path of ['/v1/gallery', '/v1/gallery/deleted', `/v1/gallery?session_id=${ann.session}`]) {
      expect((await (await test.call('bob', 'GET', path)).json()).items, path).toEqual([]);
    }
    expect((await (await test.call('bob', 'GET', '/api/v1/chat/sessions')).json()).sessions).toEqual([]);
  });

  it('leaves the first user\'s things exactly as they were', async () => {
    expect((await (await test.call('ann', 'GET', `/api/v1/chat/sessions/${ann.session}`)).json()).title).toBe('ann only');
    expect((await (await test.call('ann', 'GET', `/api/v1/chat/sessions/${ann.session}/messages`)).json()).messages).toHaveLength(2);
    expect((await (await test.call('ann', 'GET', `/v1/jobs/${ann.job}`)).json()).state).toBe('succeeded');
    expect((await test.call('ann', 'GET', `/v1/gallery/${ann.gallery}`)).status).toBe(200);
    expect((await (await test.call('ann', 'GET', '/v1/gallery/deleted')).json()).items.map((item: { id: string }) => item.id)).toEqual([ann.deleted]);
    const image = await test.call('ann', 'GET', ann.assetUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('serves an image without a key only on a valid, unexpired signed URL for that very image', async () => {
    const signed = await (await test.call('ann', 'POST', `/v1/assets/${ann.asset}/signed-url`, { expires_in: 60 })).json();
    expect(signed.url).toMatch(new RegExp(`^/v1/assets/${ann.asset}\\?token=`));
    const image = await test.call('nobody', 'GET', signed.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const token = new URL(signed.url, 'http://x').searchParams.get('token')!;
    const [payload, signature] = token.split('.') as [string, string];
    const other = await (await test.call('ann', 'POST', '/v1/gallery', { image: chelseaDataUri })).json();
    expect((await test.call('nobody', 'GET', `/v1/assets/${other.asset_id}?token=${token}`)).status).toBe(401);
    const forged = Buffer.from(JSON.stringify({ a: ann.asset, u: 'bob', e: Date.now() + 60_000 })).toString('base64url');
    expect((await test.call('nobody', 'GET', `/v1/assets/${ann.asset}?token=${forged}.${signature}`)).status).toBe(401);
    expect((await test.call('nobody', 'GET', `/v1/assets/${ann.asset}?token=${payload}.${signature.slice(1)}x`)).status).toBe(401);
    expect((await test.call('ann', 'POST', `/v1/assets/${ann.asset}/signed-url`, { expires_in: 5 })).status).toBe(400);
    // A malformed %-escape in the asset id (cut short, not hex, a lone surrogate) is a 400 that says so, never a 500.
    for (const id of ['%E0%A4%A', '%ZZ', '%ED%A0%80', `${ann.asset}%`]) {
      const refused = await test.call('nobody', 'GET', `/v1/assets/${id}?token=${token}`);
      expect(refused.status, id).toBe(400);
      expect((await refused.json()).error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('malformed %-escape') });
    }
  });

  it('deleting an image revokes its signed URLs (soft delete until restored; permanent for good)', async () => {
    const item = await (await test.call('ann', 'POST', '/v1/gallery', { image: chelseaDataUri, refined_prompt: 'shared then deleted' })).json();
    const { url } = await (await test.call('ann', 'POST', `/v1/assets/${item.asset_id}/signed-url`, { expires_in: 600 })).json();
    expect((await test.call('nobody', 'GET', url)).status).toBe(200);
    expect((await test.call('ann', 'DELETE', `/v1/gallery/${item.id}`)).status).toBe(204);
    expect((await test.call('nobody', 'GET', url)).status).toBe(404);
    expect((await test.call('ann', 'GET', `/v1/assets/${item.asset_id}`)).status).toBe(200);
    expect((await test.call('ann', 'POST', `/v1/gallery/${item.id}/restore`)).status).toBe(200);
    expect((await test.call('nobody', 'GET', url)).status).toBe(200);
    expect((await test.call('ann', 'DELETE', `/v1/gallery/${item.id}/permanent`)).status).toBe(204);
    expect((await test.call('nobody', 'GET', url)).status).toBe(404);
  });

  it('gives stored images unguessable ids (80 random bits)', () => {
    expect(ann.asset).toMatch(/^ast_[0-9a-z]{13}[0-9a-z]{16}$/);
  });
});

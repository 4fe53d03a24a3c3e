import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatedProvider, sketchPlugin } from '../testing/gated-provider.js';
import { chelseaDataUri, startTestServer, waitForMessage, type TestServer } from '../testing/test-server.js';

const gated = createGatedProvider();
let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ engine: { plugins: [sketchPlugin], providers: [gated.provider], routing: { 'text-to-image': ['gated'] } } });
});
afterAll(() => test.close());

const galleryCount = async () => (await (await test.call('ann', 'GET', '/v1/gallery?limit=200')).json()).items.length;

describe('Idempotency-Key', () => {
  it('same key and body: the same job, sync or async, and nothing written twice', async () => {
    const before = await galleryCount();
    const body = { image: chelseaDataUri, sharpen: 0.5 };
    const first = await test.call('ann', 'POST', '/v1/features/enhance', body, { 'idempotency-key': 'enhance-1', prefer: 'respond-async' });
    expect(first.status).toBe(202);
    const { job_id } = await first.json();
    const again = await (await test.call('ann', 'POST', '/v1/features/enhance', body, { 'idempotency-key': 'enhance-1', prefer: 'respond-async' })).json();
    expect(again.job_id).toBe(job_id);
    const sync = await test.call('ann', 'POST', '/v1/features/enhance', body, { 'idempotency-key': 'enhance-1' });
    expect(sync.status).toBe(200);
    expect((await sync.json()).job_id).toBe(job_id);
    expect(await galleryCount()).toBe(before + 1);
  });

  it('same key, different body: 422, and the first job is untouched', async () => {
    const first = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { 'idempotency-key': 'enhance-2' })).json();
    const other = await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri, sharpen: 0.9 }, { 'idempotency-key': 'enhance-2' });
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe('idempotency_mismatch');
    expect((await (await test.call('ann', 'GET', `/v1/jobs/${first.job_id}`)).json()).state).toBe('succeeded');
  });

  it('a concurrent duplicate while the first is still running: 409, then the replay once it is done', async () => {
    gated.reset();
    const body = { prompt: 'a slow boat' };
    const first = test.call('ann', 'POST', '/v1/features/sketch', body, { 'idempotency-key': 'sketch-1' });
    await gated.started();
    const duplicate = await test.call('ann', 'POST', '/v1/features/sketch', body, { 'idempotency-key': 'sketch-1' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('retry-after')).toBe('1');
    expect((await duplicate.json()).error).toMatchObject({ code: 'conflict', details: { reason: 'idempotency_in_flight' } });
    const otherUser = test.call('bob', 'POST', '/v1/features/sketch', body, { 'idempotency-key': 'sketch-1' });
    gated.open();
    const done = await (await first).json();
    expect((await otherUser).status).toBe(200);
    const replay = await (await test.call('ann', 'POST', '/v1/features/sketch', body, { 'idempotency-key': 'sketch-1' })).json();
    expect(replay.job_id).toBe(done.job_id);
    expect(gated.calls.started).toBe(2);
  });

  it('covers every POST: sessions, messages, gallery records', async () => {
    const session = await (await test.call('ann', 'POST', '/api/v1/chat/sessions', { title: 'trip' }, { 'idempotency-key': 'session-1' })).json();
    expect((await (await test.call('ann', 'POST', '/api/v1/chat/sessions', { title: 'trip' }, { 'idempotency-key': 'session-1' })).json()).session_id).toBe(session.session_id);
    expect((await test.call('ann', 'POST', '/api/v1/chat/sessions', { title: 'other' }, { 'idempotency-key': 'session-1' })).status).toBe(422);
    expect((await (await test.call('bob', 'POST', '/api/v1/chat/sessions', { title: 'trip' }, { 'idempotency-key': 'session-1' })).json()).session_id).not.toBe(session.session_id);

    const path = `/api/v1/chat/sessions/${session.session_id}/messages`;
    const sent = await (await test.call('ann', 'POST', path, { content: 'enhance this', image: chelseaDataUri }, { 'idempotency-key': 'message-1' })).json();
    const resent = await (await test.call('ann', 'POST', path, { content: 'enhance this', image: chelseaDataUri }, { 'idempotency-key': 'message-1' })).json();
    expect(resent).toEqual(sent);
    expect((await test.call('ann', 'POST', path, { content: 'enhance that' }, { 'idempotency-key': 'message-1' })).status).toBe(422);
    await waitForMessage(test, 'ann', session.session_id, sent.message_id);
    expect((await (await test.call('ann', 'GET', path)).json()).messages).toHaveLength(2);

    const before = await galleryCount();
    const kept = await (await test.call('ann', 'POST', '/v1/gallery', { image: chelseaDataUri, intent: 'keep' }, { 'idempotency-key': 'gallery-1' })).json();
    expect((await (await test.call('ann', 'POST', '/v1/gallery', { image: chelseaDataUri, intent: 'keep' }, { 'idempotency-key': 'gallery-1' })).json()).id).toBe(kept.id);
    expect((await test.call('ann', 'POST', '/v1/gallery', { image: chelseaDataUri, intent: 'other' }, { 'idempotency-key': 'gallery-1' })).status).toBe(422);
    expect((await test.call('ann', 'POST', '/v1/gallery', { image: { asset_id: sent.message_id }, intent: 'keep' }, { 'idempotency-key': 'gallery-1' })).status).toBe(404);
    expect(await galleryCount()).toBe(before + 1);
  });

  it('refuses malformed keys', async () => {
    for (const key of ['', 'has space', 'x'.repeat(256), 'tab\tkey']) {
      const response = await test.call('ann', 'POST', '/api/v1/chat/sessions', {}, { 'idempotency-key': key });
      expect(response.status, JSON.stringify(key)).toBe(400);
    }
  });

  it('keys are scoped per operation: a feature call and a chat message never share a record or an image', async () => {
    const sharp = (await import('sharp')).default;
    const red = `data:image/png;base64,${(await sharp({ create: { width: 32, height: 24, channels: 3, background: '#ff0000' } }).png().toBuffer()).toString('base64')}`;
    const feature = await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { 'idempotency-key': 'chat:k9' });
    expect(feature.status).toBe(200);
    const chelsea = (await feature.json()).images[0];
    const session = (await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
    for (const key of ['k9', 'chat:k9']) {
      const sent = await test.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'upscale it 2x', image: red }, { 'idempotency-key': key });
      expect(sent.status, key).toBe(202);
      const done = await waitForMessage(test, 'ann', session, (await sent.json()).message_id);
      expect(done.status, key).toBe('DONE');
      // The chat turn worked on its own 32×24 red image, not on the feature call's photo.
      expect([done.images[0].width, done.images[0].height], key).toEqual([64, 48]);
    }
    // The same key on two features, and on the same feature again, behaves per operation.
    const enhanceAgain = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { 'idempotency-key': 'chat:k9' })).json();
    expect(enhanceAgain.images[0].asset_id).toBe(chelsea.asset_id);
    const upscale = await test.call('ann', 'POST', '/v1/features/upscale', { image: red }, { 'idempotency-key': 'chat:k9' });
    expect(upscale.status).toBe(200);
    expect((await upscale.json()).images[0].width).toBe(64);
  });
});

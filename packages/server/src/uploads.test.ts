import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createMemoryAssetStorage } from '@darkroom/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readMultipartForm } from './read-multipart-form.js';
import { fixtures, startTestServer, waitForMessage, type TestServer } from './testing/test-server.js';

const photo = readFileSync(join(fixtures, 'coffee.png'));
const otherPhoto = readFileSync(join(fixtures, 'chelsea.png'));
const photoBase64 = photo.toString('base64');

/** Memory storage that records the bytes it is asked to store. */
function recordingStorage() {
  const storage = createMemoryAssetStorage();
  const puts: Uint8Array[] = [];
  return { puts, storage: { name: storage.name, put: (bytes: Uint8Array, options: { mimeType: string }) => (puts.push(bytes), storage.put(bytes, options)), get: storage.get.bind(storage), delete: storage.delete.bind(storage), health: storage.health.bind(storage) } };
}

/** Counts every time bytes become base64 text or base64 text becomes bytes, from now on. */
function spyOnBase64() {
  const toString = vi.spyOn(Buffer.prototype, 'toString');
  const from = vi.spyOn(Buffer, 'from');
  return () => toString.mock.calls.filter(([encoding]) => encoding === 'base64').length + from.mock.calls.filter(([, encoding]) => encoding === 'base64').length;
}

const form = (fields: Record<string, string | Buffer>) => {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') body.set(name, value);
    else body.set(name, new Blob([new Uint8Array(value)], { type: 'image/png' }), `${name}.png`);
  }
  return body;
};

const recorded = recordingStorage();
let test: TestServer;
beforeAll(async () => {
  test = await startTestServer({ engine: { storage: recorded.storage } });
});
afterAll(() => test.close());
afterEach(() => {
  vi.restoreAllMocks();
  recorded.puts.length = 0;
});

describe('multipart uploads stay bytes', () => {
  it('readMultipartForm gives each file as a Buffer of exactly the bytes sent', async () => {
    const request = new Request('http://localhost/v1/features/upscale', { method: 'POST', body: form({ image: photo, mask: otherPhoto, scale: '2' }) });
    const body = await readMultipartForm(request, { imageFields: [{ name: 'image', list: false }, { name: 'mask', list: false }] });
    expect(Buffer.isBuffer(body.image) && body.image.equals(photo)).toBe(true);
    expect(Buffer.isBuffer(body.mask) && body.mask.equals(otherPhoto)).toBe(true);
    expect(body.scale).toBe('2');
  });

  it('a feature upload is stored once, as the bytes sent, with no base64 made, and the job holds an asset reference', async () => {
    const body = form({ image: photo, scale: '2' });
    const base64Calls = spyOnBase64();
    const response = await test.call('ann', 'POST', '/v1/features/upscale', body, { prefer: 'respond-async' });
    expect(response.status).toBe(202);
    expect(base64Calls()).toBe(0);
    expect(recorded.puts).toHaveLength(1);
    expect(Buffer.from(recorded.puts[0]!).equals(photo)).toBe(true);
    const { job_id } = await response.json();
    const job = await test.engine.jobs.get('ann', job_id);
    expect(job.input).toEqual({ feature: 'upscale', input: expect.objectContaining({ image: { asset_id: expect.stringMatching(/^ast_/) } }) });
    const assetId = (job.input as { input: { image: { asset_id: string } } }).input.image.asset_id;
    expect(Buffer.from((await test.engine.assets.read('ann', assetId)).bytes).equals(photo)).toBe(true);
    expect((await test.engine.result('ann', job_id)).images[0]).toMatchObject({ width: 1200, height: 800 });
    // The control: the spy sees the decoding a JSON body with base64 still needs.
    const control = await test.call('ann', 'POST', '/v1/features/upscale', { image: { base64: photoBase64 } }, { prefer: 'respond-async' });
    expect(control.status).toBe(202);
    expect(base64Calls()).toBeGreaterThan(0);
    // Its result is stored before the next test counts what was stored.
    await test.engine.result('ann', (await control.json()).job_id);
  });

  it('a retried upload with the same Idempotency-Key answers the same job and asset; another file under that key is a 422', async () => {
    const headers = { prefer: 'respond-async', 'idempotency-key': 'upload-retry-1' };
    const first = await (await test.call('ann', 'POST', '/v1/features/upscale', form({ image: photo }), headers)).json();
    const again = await test.call('ann', 'POST', '/v1/features/upscale', form({ image: photo }), headers);
    expect(again.status).toBe(202);
    expect((await again.json()).job_id).toBe(first.job_id);
    const other = await test.call('ann', 'POST', '/v1/features/upscale', form({ image: otherPhoto }), headers);
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe('idempotency_mismatch');
    await test.engine.result('ann', first.job_id);
  });

  it('a field error is refused before the upload is stored, with the same 400 as a JSON body', async () => {
    const response = await test.call('ann', 'POST', '/v1/features/upscale', form({ image: photo, scale: '3' }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_input');
    expect(recorded.puts).toHaveLength(0);
  });

  it('bytes that are not an image are a 400 invalid_image, stored nowhere', async () => {
    const response = await test.call('ann', 'POST', '/v1/features/upscale', form({ image: Buffer.from('not a picture at all') }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_image');
    expect(recorded.puts).toHaveLength(0);
  });

  it('a gallery upload is stored once with no base64 made; a retry with its key answers the first record', async () => {
    const base64Calls = spyOnBase64();
    const headers = { 'idempotency-key': 'gallery-upload-1' };
    const created = await test.call('ann', 'POST', '/v1/gallery', form({ image: photo, refined_prompt: 'coffee' }), headers);
    expect(created.status).toBe(201);
    expect(base64Calls()).toBe(0);
    const item = await created.json();
    const again = await test.call('ann', 'POST', '/v1/gallery', form({ image: photo, refined_prompt: 'coffee' }), headers);
    expect(again.status).toBe(201);
    expect((await again.json()).id).toBe(item.id);
    const other = await test.call('ann', 'POST', '/v1/gallery', form({ image: otherPhoto, refined_prompt: 'coffee' }), headers);
    expect(other.status).toBe(422);
    expect(recorded.puts.every((bytes) => bytes.byteLength === photo.byteLength || bytes.byteLength === otherPhoto.byteLength)).toBe(true);
  });

  it('a chat message with an uploaded image works on it, with no base64 made on the way in', async () => {
    const session = await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json();
    const base64Calls = spyOnBase64();
    const sent = await test.call('ann', 'POST', `/api/v1/chat/sessions/${session.session_id}/messages`, form({ content: 'enhance this', image: photo }), { 'idempotency-key': 'chat-upload-1' });
    expect(sent.status).toBe(202);
    expect(base64Calls()).toBe(0);
    const { message_id } = await sent.json();
    const again = await test.call('ann', 'POST', `/api/v1/chat/sessions/${session.session_id}/messages`, form({ content: 'enhance this', image: photo }), { 'idempotency-key': 'chat-upload-1' });
    expect((await again.json()).message_id).toBe(message_id);
    expect(await waitForMessage(test, 'ann', session.session_id, message_id)).toMatchObject({ status: 'DONE' });
  });
});

describe('a refused upload leaves nothing stored', () => {
  const notAnImage = Buffer.from('not a picture at all');
  const sessionOf = async (user: string) => (await (await test.call(user, 'POST', '/api/v1/chat/sessions', {})).json()).session_id as string;

  it('the same Idempotency-Key with another file: feature, gallery and chat answer 422 and store no file', async () => {
    const session = await sessionOf('ann');
    const cases = [
      { path: '/v1/features/upscale', fields: (image: Buffer) => form({ image }), headers: { prefer: 'respond-async', 'idempotency-key': 'refused-feature' } },
      { path: '/v1/gallery', fields: (image: Buffer) => form({ image }), headers: { 'idempotency-key': 'refused-gallery' } },
      { path: `/api/v1/chat/sessions/${session}/messages`, fields: (image: Buffer) => form({ content: 'enhance this', image }), headers: { 'idempotency-key': 'refused-chat' } },
    ];
    for (const { path, fields, headers } of cases) {
      const first = await test.call('ann', 'POST', path, fields(photo), headers);
      expect(first.status, path).toBeLessThan(300);
      // What the first request runs stores its result: wait for it before counting.
      const answer = await first.json();
      if (answer.job_id && !answer.message_id) await test.engine.result('ann', answer.job_id);
      if (answer.message_id) await waitForMessage(test, 'ann', session, answer.message_id);
      recorded.puts.length = 0;
      const other = await test.call('ann', 'POST', path, fields(otherPhoto), headers);
      expect(other.status, path).toBe(422);
      expect((await other.json()).error.code).toBe('idempotency_mismatch');
      expect(recorded.puts, `${path}: nothing stored for the refused request`).toHaveLength(0);
    }
  });

  it('a refusal decided while the job runs (no model for reimagine: 501) names the job, so what it stored can be found', async () => {
    const response = await test.call('ann', 'POST', '/v1/features/reimagine', form({ image: photo, prompt: 'as a watercolor' }));
    const { error } = await response.json();
    expect(response.status).toBe(501);
    expect(error.details.job_id).toMatch(/^job_/);
    expect((await test.engine.jobs.get('ann', error.details.job_id)).state).toBe('failed');
  });

  it('a provider or model the call names that cannot serve it is refused before anything is stored or queued', async () => {
    const jobs = async () => (await (await test.call('ann', 'GET', '/v1/jobs?limit=100')).json()).jobs.length;
    const before = await jobs();
    for (const [fields, pattern] of [[{ provider: 'nope' }, /Unknown provider "nope"/], [{ provider: 'local', model: 'nope' }, /has no model "nope"/]] as const) {
      const response = await test.call('ann', 'POST', '/v1/features/upscale', form({ image: photo, ...fields }));
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(pattern);
    }
    expect(recorded.puts).toHaveLength(0);
    expect(await jobs()).toBe(before);
  });

  it('a message to a session that does not exist is a 404 with its image unstored', async () => {
    const response = await test.call('ann', 'POST', '/api/v1/chat/sessions/ses_doesnotexist/messages', form({ content: 'enhance this', image: photo }));
    expect(response.status).toBe(404);
    expect(recorded.puts).toHaveLength(0);
  });

  it('a good image with a bad mask is a 400 with neither stored: feature, chat and each order of the fields', async () => {
    const session = await sessionOf('bob');
    for (const [path, content] of [['/v1/features/object-removal', undefined], [`/api/v1/chat/sessions/${session}/messages`, 'remove the cup']] as const) {
      for (const order of ['image first', 'mask first'] as const) {
        const fields: Record<string, string | Buffer> = order === 'image first' ? { image: photo, mask: notAnImage } : { mask: notAnImage, image: photo };
        const response = await test.call('bob', 'POST', path, form({ ...(content ? { content } : {}), ...fields }));
        expect(response.status, `${path}, ${order}`).toBe(400);
        expect((await response.json()).error.code).toBe('invalid_image');
        expect(recorded.puts, `${path}, ${order}`).toHaveLength(0);
      }
    }
  });
});

describe('images fetched from a URL stay bytes too', () => {
  it('a feature call and a gallery record with an image URL store the fetched bytes with no base64 made', async () => {
    const images = createServer((_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(photo));
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.2', resolve));
    const url = `http://images.example.test:${(images.address() as AddressInfo).port}/coffee.png`;
    const withUrls = await startTestServer({
      engine: { storage: recorded.storage },
      server: { imageUrls: { isAllowedAddress: (address: string) => address === '127.0.0.2', resolve: async () => [{ address: '127.0.0.2', family: 4 }] } },
    });
    try {
      const base64Calls = spyOnBase64();
      const response = await withUrls.call('ann', 'POST', '/v1/features/upscale', { image: url }, { prefer: 'respond-async' });
      expect(response.status).toBe(202);
      const saved = await withUrls.call('ann', 'POST', '/v1/gallery', { image: url });
      expect(saved.status).toBe(201);
      expect(base64Calls()).toBe(0);
      // The fetched photo, stored as fetched for each (the upscale's own result may be stored in between).
      expect(recorded.puts.filter((bytes) => Buffer.from(bytes).equals(photo))).toHaveLength(2);
      await withUrls.engine.result('ann', (await response.json()).job_id);
    } finally {
      await withUrls.close();
      images.close();
    }
  });
});

describe('the rate limit counts an upload request\'s work', () => {
  it('charges a multipart reimagine one unit per image asked for, as it would a JSON body', async () => {
    const limited = await startTestServer({ server: { rateLimit: { limit: 3, windowSeconds: 60 } } });
    try {
      const response = await limited.call('ann', 'POST', '/v1/features/reimagine', form({ image: photo, prompt: 'as a watercolor', num_images: '4' }));
      expect(response.status).toBe(429);
      expect((await response.json()).error.message).toMatch(/costs 4 units/);
    } finally {
      await limited.close();
    }
  });
});

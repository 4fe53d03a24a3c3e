import { defineFeature, definePlugin } from '@darkroom/core';
import { collageFeature } from '@darkroom/core/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chelseaDataUri, chelseaPng, startTestServer, type TestServer } from './testing/test-server.js';

const explodingPlugin = definePlugin({
  name: 'test-exploding',
  features: [
    defineFeature({
      id: 'explode',
      description: 'Fails with an internal error',
      capability: 'enhance',
      intents: { name: 'explode', keywords: ['explode'], examples: ['explode'] },
      input: z.object({}),
      async run() {
        throw new Error('secret connection string postgres://admin:hunter2@db');
      },
    }),
  ],
});

let test: TestServer;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  test = await startTestServer({ engine: { plugins: [explodingPlugin] }, server: { maxBodyBytes: 2 * 1024 * 1024, rateLimit: { limit: 1000, windowSeconds: 60 }, log: (entry) => logs.push(entry) } });
});
afterAll(() => test.close());

const counts = async () => ({
  gallery: (await (await test.call('ann', 'GET', '/v1/gallery?limit=200')).json()).items.length,
  jobs: Object.values(await test.engine.jobs.counts()).reduce((sum, count) => sum + count, 0),
});

describe('limits', () => {
  it('refuses bodies over the limit, with or without Content-Length (chunked)', async () => {
    const big = JSON.stringify({ image: `data:image/png;base64,${'A'.repeat(3 * 1024 * 1024)}` });
    const declared = await test.call('ann', 'POST', '/v1/features/enhance', big, { 'content-type': 'application/json' });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('payload_too_large');
    const chunks = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < chunks.length; offset += 64 * 1024) controller.enqueue(chunks.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await test.server.app.request('/v1/features/enhance', { method: 'POST', body: stream, headers: { 'content-type': 'application/json', authorization: 'Bearer ann-key-0123456789abcdef' }, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(3 * 1024 * 1024)], { type: 'image/png' }), 'big.png');
    const multipart = await test.call('ann', 'POST', '/v1/features/upscale', form);
    expect(multipart.status).toBe(413);
    expect((await multipart.json()).error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: 2 * 1024 * 1024 } });
  });

  it('refuses a decompression bomb and a truncated image with 4xx, writing nothing', async () => {
    const before = await counts();
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#000' } }).greyscale().png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    const bombed = await test.call('ann', 'POST', '/v1/features/upscale', { image: `data:image/png;base64,${bomb.toString('base64')}` });
    expect(bombed.status).toBe(413);
    expect((await bombed.json()).error).toMatchObject({ code: 'image_too_large', details: { width: 8000, height: 6000 } });
    const truncated = await test.call('ann', 'POST', '/v1/features/upscale', { image: { base64: chelseaPng.subarray(0, chelseaPng.byteLength / 2).toString('base64') } });
    expect(truncated.status).toBe(400);
    expect((await truncated.json()).error.code).toBe('invalid_image');
    const form = new FormData();
    form.set('image', new Blob([chelseaPng.subarray(0, 200)], { type: 'image/png' }), 'cut.png');
    expect((await test.call('ann', 'POST', '/v1/features/enhance', form)).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('refuses over-long prompts, too many images, and image URLs into our network', async () => {
    const before = await counts();
    expect((await test.call('ann', 'POST', '/v1/features/image-generation', { prompt: 'x'.repeat(2001) })).status).toBe(400);
    expect((await test.call('ann', 'POST', '/v1/prompt/refine', { original_prompt: 'x'.repeat(2001) })).status).toBe(400);
    expect((await test.call('ann', 'POST', '/api/v1/chat/sessions/nope/messages', { content: 'x'.repeat(4001) })).status).toBe(400);
    for (const url of ['http://127.0.0.1:1/a.png', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/a.png', 'http://2130706433/a.png', 'http://localhost/a.png', 'file:///etc/passwd']) {
      const response = await test.call('ann', 'POST', '/v1/features/upscale', { image: url });
      expect(response.status, url).toBe(400);
    }
    const single = await startTestServer({ server: { imageUrls: { maxImages: 1 } } });
    try {
      const response = await single.call('ann', 'POST', '/v1/features/object-removal', { image: chelseaDataUri, mask: chelseaDataUri });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ message: expect.stringMatching(/^At most 1 image per request \(this one has 2\): send fewer, or raise the server's limit \(DARKROOM_MAX_IMAGES_PER_REQUEST/), details: { maxImages: 1, setting: 'DARKROOM_MAX_IMAGES_PER_REQUEST' } });
    } finally {
      await single.close();
    }
    // By default a request may carry 8 images: a feature's image and a list of 4 more fit.
    const collage = await startTestServer({ engine: { plugins: [definePlugin({ name: 'collage-plugin', features: [collageFeature] })] } });
    try {
      const response = await collage.call('ann', 'POST', '/v1/features/collage', { reference: chelseaDataUri, extras: Array.from({ length: 4 }, () => chelseaDataUri) });
      expect(response.status).toBe(200);
      expect((await response.json()).metadata.loaded).toHaveLength(5);
    } finally {
      await collage.close();
    }
    expect(await counts()).toEqual(before);
  });

  it('limits requests per key with RateLimit headers; other keys and public paths are not counted', async () => {
    const limited = await startTestServer({ server: { rateLimit: { limit: 3, windowSeconds: 60 } } });
    try {
      const answers = [];
      for (let call = 0; call < 4; call += 1) answers.push(await limited.call('ann', 'GET', '/v1/gallery'));
      expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 429]);
      expect(answers[0]!.headers.get('ratelimit-policy')).toBe('"per-key";q=3;w=60');
      expect(answers[1]!.headers.get('ratelimit')).toMatch(/^"per-key";r=1;t=\d+$/);
      expect(answers[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await answers[3]!.json()).error.code).toBe('rate_limited');
      expect((await limited.call('bob', 'GET', '/v1/gallery')).status).toBe(200);
      expect((await limited.call('ann', 'GET', '/health')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('errors', () => {
  it('answers unknown failures with a generic 500 and a request id, logging the detail but not the key', async () => {
    logs.length = 0;
    const response = await test.call('ann', 'POST', '/v1/features/explode', {});
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.error).toEqual({ code: 'internal', message: 'Internal error', request_id: response.headers.get('x-request-id') });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const lines = JSON.stringify(logs);
    expect(lines).toContain(body.error.request_id);
    expect(lines).not.toContain('ann-key-0123456789abcdef');
    expect(logs.find((entry) => entry.message === 'request' && entry.request_id === body.error.request_id)).toMatchObject({ status: 500, route: '/v1/features/explode', user: 'ann' });
  });

  it('while draining for shutdown: new POSTs get 503 and readiness turns 503; reads still work', async () => {
    const draining = await startTestServer();
    try {
      draining.server.drain();
      const refused = await draining.call('ann', 'POST', '/api/v1/chat/sessions', {});
      expect(refused.status).toBe(503);
      expect((await refused.json()).error.code).toBe('unavailable');
      expect((await draining.call('nobody', 'GET', '/ready')).status).toBe(503);
      expect((await draining.call('ann', 'GET', '/v1/gallery')).status).toBe(200);
    } finally {
      await draining.close();
    }
  });

  it('answers unknown routes and wrong content types with JSON errors', async () => {
    const missing = await test.call('ann', 'GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const text = await test.call('ann', 'POST', '/v1/prompt/refine', 'original_prompt=a cat', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const multipart = new FormData();
    multipart.set('original_prompt', 'a cat');
    expect((await test.call('ann', 'POST', '/v1/prompt/refine', multipart)).status).toBe(415);
  });
});

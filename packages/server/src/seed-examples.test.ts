import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/test-server.js';

let test: TestServer;
beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

const post = (path: string, body: unknown) => test.call('ann', 'POST', path, body);

describe('the seeds\' examples work as written', () => {
  it('seed 002: refine "a cat" with a style context, on both paths, trailing slash included', async () => {
    for (const path of ['/api/v1/prompt-refinement/refine/', '/v1/prompt/refine/', '/v1/prompt/refine']) {
      const response = await post(path, { original_prompt: 'a cat', context: { style: 'realistic' } });
      expect(response.status, path).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ original_prompt: 'a cat', method_used: 'rule_based', confidence_score: expect.any(Number), processing_time: expect.any(Number), suggestions: expect.any(Array) });
      expect(body.refined_prompt).toMatch(/^a cat, /);
      expect(body.refined_prompt.length).toBeGreaterThan('a cat'.length);
    }
  });

  it('seed 002: validate "beautiful landscape"', async () => {
    for (const path of ['/api/v1/prompt-refinement/validate/', '/v1/prompt/validate']) {
      const body = await (await post(path, { prompt: 'beautiful landscape' })).json();
      expect(body).toMatchObject({ valid: true, word_count: 2, character_count: 19 });
    }
    expect((await (await post('/v1/prompt/validate', { prompt: 'x' })).json()).valid).toBe(false);
  });

  it('seed 001: refine detects the intent too', async () => {
    const body = await (await post('/v1/prompt/refine/', { original_prompt: 'remove the background of this photo' })).json();
    expect(body.intent).toMatchObject({ feature: 'remove-background' });
  });

  it('seed 002: generate {prompt, width, height} answers success, request_id, image_url and metadata', async () => {
    const body = await (await post('/api/v1/image-generation/generate/', { prompt: 'beautiful sunset', width: 512, height: 512 })).json();
    expect(body).toMatchObject({ success: true, request_id: expect.stringMatching(/^job_/), metadata: { width: 512, height: 512, processing_time: expect.any(Number), placeholder: true } });
    const image = await test.call('ann', 'GET', body.image_url);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = await (await post('/v1/image/generate/', { prompt: 'beautiful sunset', width: 256, height: 256, response_format: 'b64_json' })).json();
    expect(Buffer.from(bytes.image_bytes, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('seed 003: generate {prompt, size, style, image_type} answers success, image_url, service, model, generation_time', async () => {
    const body = await (await post('/api/images/generate', { prompt: 'a cat', size: '512x384', style: 'watercolor', image_type: 'illustration' })).json();
    expect(body).toMatchObject({ success: true, image_path: body.image_url, service: 'local', model: 'placeholder-not-ai', generation_time: expect.any(Number), metadata: { width: 512, height: 384 } });
    expect((await (await test.call('ann', 'GET', '/api/images/models')).json()).models.length).toBeGreaterThan(0);
  });

  it('seed 001: the gallery flow with trailing slashes', async () => {
    const generated = await (await post('/v1/image/generate/', { prompt: 'a red boat', width: 128, height: 128 })).json();
    const kept = await (await post('/v1/gallery/', { image: { asset_id: generated.images[0].asset_id }, refined_prompt: 'a red boat', intent: 'image_generate' })).json();
    expect((await (await test.call('ann', 'GET', `/v1/gallery/${kept.id}/`)).json()).refined_prompt).toBe('a red boat');
    expect((await test.call('ann', 'DELETE', `/v1/gallery/${kept.id}/`)).status).toBe(204);
    expect((await (await test.call('ann', 'GET', '/v1/gallery/deleted/')).json()).items.map((item: { id: string }) => item.id)).toContain(kept.id);
    expect((await test.call('ann', 'POST', `/v1/gallery/${kept.id}/restore/`)).status).toBe(200);
    const listed = await (await test.call('ann', 'GET', `/v1/gallery/?intent=image_generate&created_after=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)).json();
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(kept.id);
    expect((await (await test.call('ann', 'GET', `/v1/gallery/?created_before=2000-01-01`)).json()).items).toEqual([]);
    // Paging walks the list with next_cursor; a cursor this API never gave is a 400, not an empty page.
    const first = await (await test.call('ann', 'GET', '/v1/gallery?limit=1')).json();
    expect(first.next_cursor).toMatch(/^img_/);
    expect((await (await test.call('ann', 'GET', `/v1/gallery?limit=1&cursor=${first.next_cursor}`)).json()).items[0].id).not.toBe(first.items[0].id);
    for (const cursor of ['abc', 'img_', 'ZZZ', first.next_cursor.toUpperCase()]) {
      const bad = await test.call('ann', 'GET', `/v1/gallery?cursor=${cursor}`);
      expect(bad.status, cursor).toBe(400);
      expect((await bad.json()).error.message).toMatch(/next_cursor/);
    }
    expect((await test.call('ann', 'DELETE', `/v1/gallery/${kept.id}/permanent/`)).status).toBe(204);
    expect((await test.call('ann', 'GET', `/v1/gallery/${kept.id}/`)).status).toBe(404);
  });
});

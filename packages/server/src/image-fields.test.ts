import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createMemoryAssetStorage, definePlugin, imageSchemaKeyword, toFeatureTool } from '@darkroom/core';
import { collageFeature, solidPng } from '@darkroom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, startTestServer, type TestServer } from './testing/test-server.js';

// The collage test feature takes its images in `reference` and in the list `extras`: no field named image.
const photo = readFileSync(join(fixtures, 'coffee.png'));
const storage = createMemoryAssetStorage();
const puts: Uint8Array[] = [];
const images = createServer((_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(photo));
let test: TestServer;
let photoUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.2', resolve));
  photoUrl = `http://images.example.test:${(images.address() as AddressInfo).port}/coffee.png`;
  const recording = { name: storage.name, put: (bytes: Uint8Array, options: { mimeType: string }) => (puts.push(bytes), storage.put(bytes, options)), get: storage.get.bind(storage), delete: storage.delete.bind(storage), health: storage.health.bind(storage) };
  test = await startTestServer({
    engine: { plugins: [definePlugin({ name: 'collage-plugin', features: [collageFeature] })], storage: recording },
    server: { imageUrls: { maxImages: 4, isAllowedAddress: (address: string) => address === '127.0.0.2', resolve: async () => [{ address: '127.0.0.2', family: 4 }] } },
  });
});
afterAll(async () => {
  await test.close();
  images.close();
});
afterEach(() => {
  puts.length = 0;
});

const form = (fields: Array<[string, string | Uint8Array]>) => {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, typeof value === 'string' ? value : new Blob([new Uint8Array(value)], { type: 'image/png' }), ...(typeof value === 'string' ? [] : [`${name}.png`]));
  return body;
};

describe('image fields of any name, through the server', () => {
  it('GET /v1/features lists them in image_fields, marked in the input schema; the feature\'s tool leaves them out', async () => {
    const { features } = await (await test.call('ann', 'GET', '/v1/features')).json();
    const collage = features.find((feature: { id: string }) => feature.id === 'collage');
    expect(collage.image_fields).toEqual(['reference', 'extras']);
    expect(collage.input_schema.properties.reference).toMatchObject({ [imageSchemaKeyword]: true, description: 'The photo the collage starts from' });
    expect(collage.input_schema.properties.extras).toMatchObject({ type: 'array', maxItems: 4, items: { [imageSchemaKeyword]: true } });
    expect(JSON.stringify(collage.input_schema.properties.extras.items)).toContain('"format":"uri"');
    expect(Object.keys(toFeatureTool(collageFeature).parameters.properties as object)).toEqual(['title']);
    const document = await (await test.call('nobody', 'GET', '/openapi.json')).json();
    expect(document.paths['/v1/features/collage'].post.requestBody.content['multipart/form-data'].schema.properties).toMatchObject({
      reference: { type: 'string', contentMediaType: 'application/octet-stream' },
      extras: { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' } },
      title: { type: 'string' },
    });
  });

  it('takes a file upload in reference and repeated file parts in extras, stored as the bytes sent', async () => {
    const small = await solidPng(10, 20);
    const response = await test.call('ann', 'POST', '/v1/features/collage', form([['reference', photo], ['extras', small], ['title', 'two'], ['extras', photo]]));
    expect(response.status).toBe(200);
    expect((await response.json()).metadata).toMatchObject({ loaded: ['600x400', '10x20', '600x400'] });
    // The photo once (content-addressed), the small one, and the result.
    expect(puts.slice(0, 2).map((bytes) => bytes.byteLength).sort()).toEqual([small.byteLength, photo.byteLength].sort());
  });

  it('takes a data URI, an {asset_id} of an earlier upload and an http(s) URL in any image field', async () => {
    const stored = await (await test.call('ann', 'POST', '/v1/gallery', form([['image', await solidPng(30, 40)]]))).json();
    const body = { reference: `data:image/png;base64,${Buffer.from(await solidPng(12, 8)).toString('base64')}`, extras: [{ asset_id: stored.asset_id }, photoUrl] };
    const response = await test.call('ann', 'POST', '/v1/features/collage', body, { prefer: 'respond-async' });
    expect(response.status).toBe(202);
    const { job_id } = await response.json();
    const asset = { asset_id: expect.stringMatching(/^ast_/) };
    expect((await test.engine.jobs.get('ann', job_id)).input).toEqual({ feature: 'collage', input: { reference: asset, extras: [{ asset_id: stored.asset_id }, asset] } });
    expect((await test.engine.result('ann', job_id)).metadata).toMatchObject({ loaded: ['12x8', '30x40', '600x400'] });
  });

  it('refuses a bad image in any field with a 4xx that names the field, storing nothing', async () => {
    const cases: Array<[unknown, number, string, string]> = [
      [form([['reference', photo], ['extras', photo], ['extras', Buffer.from('not a picture')]]), 400, 'invalid_image', 'extras[1]'],
      [{ reference: { asset_id: 'ast_notthere' } }, 404, 'not_found', 'reference'],
      [{ reference: photo.toString('base64').slice(0, 100), extras: [] }, 400, 'invalid_input', 'reference'],
      [{ reference: photoUrl, extras: ['ftp://images.example.test/a.png'] }, 400, 'invalid_input', 'extras[0]'],
    ];
    for (const [body, status, code, field] of cases) {
      const response = await test.call('ann', 'POST', '/v1/features/collage', body);
      const { error } = await response.json();
      expect([response.status, error.code], field).toEqual([status, code]);
      expect(error.message, field).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: |at ${field}`));
    }
    expect(puts).toHaveLength(0);
  });

  it('counts every image of a list against the per-request cap, and refuses a file in a field that takes none', async () => {
    const tooMany = await test.call('ann', 'POST', '/v1/features/collage', form([['reference', photo], ...Array.from({ length: 4 }, () => ['extras', photo] as [string, Uint8Array])]));
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toMatch(/At most 4 images per request \(this one has 5\)/);
    const stray = await test.call('ann', 'POST', '/v1/features/collage', form([['reference', photo], ['title', photo]]));
    expect((await stray.json()).error.message).toMatch(/Unexpected file field "title": this route takes files in "reference", "extras"/);
    expect(puts).toHaveLength(0);
  });
});

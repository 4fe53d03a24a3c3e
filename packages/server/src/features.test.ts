import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@darkroom/core';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/images');
const coffee = readFileSync(join(fixtures, 'coffee.png'));
const dataUri = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;
let engine: Engine;
let app: ReturnType<typeof createServer>['app'];
let dataDir: string;
let mask: Buffer;

const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function chat(content: string, extra: Record<string, unknown>) {
  const session = (await (await post('/api/v1/chat/sessions', {})).json()).session_id;
  const { message_id } = await (await post(`/api/v1/chat/sessions/${session}/messages`, { content, ...extra })).json();
  for (let tries = 0; tries < 600; tries += 1) {
    const message = await (await app.request(`/api/v1/chat/sessions/${session}/messages/${message_id}`)).json();
    if (message.status !== 'PROCESSING') return message;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('still PROCESSING');
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'darkroom-features-'));
  engine = await createDefaultEngine({ dataDir, runner: { pollMs: 50 } });
  app = createServer({ engine }).app;
  mask = await sharp({ create: { width: 600, height: 400, channels: 3, background: 'black' } })
    .composite([{ input: await sharp({ create: { width: 60, height: 50, channels: 3, background: 'white' } }).png().toBuffer(), left: 430, top: 40 }])
    .png()
    .toBuffer();
});
afterAll(async () => {
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// feature, direct route, direct body, chat message, extra chat fields, expected size
const cases: Array<[string, string, Record<string, unknown>, string, Record<string, unknown>, [number, number]]> = [
  ['remove-background', 'remove-background', {}, 'remove the background', {}, [600, 400]],
  ['relight', 'relight', { direction: 'right', intensity: 0.6, warmth: 0.5 }, 'relight it from the right with warm light', {}, [600, 400]],
  ['style-transfer', 'style-transfer', { style: 'pencil-sketch' }, 'make it look like a vintage film', {}, [600, 400]],
  ['expand', 'image-expand', { aspect_ratio: '16:9' }, 'expand it to 16:9', {}, [711, 400]],
  ['object-removal', 'object-removal', { mask: 'MASK' }, 'remove the object I marked', { mask: 'MASK' }, [600, 400]],
  ['enhance', 'enhance', { denoise: 0.5 }, 'enhance this photo', {}, [600, 400]],
  ['upscale', 'upscale', { scale: 2 }, 'upscale it 2x', {}, [1200, 800]],
];

describe.each(cases)('%s', (feature, route, directBody, message, chatExtra, [width, height]) => {
  const withMask = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).map(([key, value]) => [key, value === 'MASK' ? dataUri(mask) : value]));

  it(`answers POST /v1/features/${route} and records the result as direct`, { timeout: 120_000 }, async () => {
    const response = await post(`/v1/features/${route}`, { image: dataUri(coffee), ...withMask(directBody) });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.images[0]).toMatchObject({ width, height });
    expect(await engine.gallery.get('local', body.images[0].gallery_id)).toMatchObject({ feature, provider: 'local', origin: { source: 'direct' } });
  });

  it(`is reached from chat: "${message}"`, { timeout: 120_000 }, async () => {
    const reply = await chat(message, { image: dataUri(coffee), ...withMask(chatExtra) });
    expect(reply.status, JSON.stringify(reply)).toBe('DONE');
    expect(reply.intents.map((intent: { feature: string }) => intent.feature)).toEqual([feature]);
    expect(reply.images[0]).toMatchObject({ feature });
    expect(await engine.gallery.get('local', reply.images[0].gallery_id)).toMatchObject({ origin: { source: 'chat' } });
  });
});

describe('what the local provider cannot do', () => {
  it('answers reimagine with a clear error naming what would serve it from the route; chat says so before running anything', async () => {
    const response = await post('/v1/features/reimagine', { image: dataUri(coffee), prompt: 'as a watercolor' });
    expect(response.status).toBe(501);
    expect((await response.json()).error).toMatchObject({ code: 'no_provider', message: expect.stringMatching(/Runware or Gemini.*ONNX image-to-image/) });
    const reply = await chat('reimagine it as a watercolor', { image: dataUri(coffee) });
    expect(reply).toMatchObject({ status: 'DONE', clarification: expect.stringMatching(/no provider for reimagine .*image-to-image/), intents: [expect.objectContaining({ feature: 'reimagine' })] });
  });

  it('asks for a mask when object removal is asked for without one', async () => {
    const reply = await chat('remove the object', { image: dataUri(coffee) });
    expect(reply).toMatchObject({ status: 'DONE', clarification: expect.stringMatching(/Send a mask/) });
  });

  it('tells the truth in models and health', async () => {
    const models = (await (await app.request('/api/images/models')).json()).models.map((model: { id: string }) => model.id);
    expect(models).toEqual(expect.arrayContaining(['lanczos3', 'isnet', 'style-presets', 'diffusion-inpaint', 'placeholder-not-ai']));
    const local = (await engine.health()).providers[0]!;
    expect(local.capabilities).not.toContain('image-to-image');
  });
});

describe('bad images and parameters get a 4xx', () => {
  it.each([
    ['corrupt image', 'remove-background', () => ({ image: { base64: coffee.subarray(0, 5000).toString('base64') } }), 400],
    ['mask of the wrong size', 'object-removal', () => ({ image: dataUri(coffee), mask: dataUri(readFileSync(join(fixtures, 'horse.png'))) }), 400],
    ['unknown preset', 'style-transfer', () => ({ image: dataUri(coffee), style: 'glitter' }), 400],
    ['unknown direction', 'relight', () => ({ image: dataUri(coffee), direction: 'sideways' }), 400],
    ['nothing to expand', 'image-expand', () => ({ image: dataUri(coffee) }), 400],
    ['absurd expansion', 'image-expand', () => ({ image: dataUri(coffee), left: 4096, right: 4096, top: 4096, bottom: 4096 }), 413],
    ['intensity out of range', 'relight', () => ({ image: dataUri(coffee), intensity: 7 }), 400],
  ] as const)('%s', async (_name, route, body, status) => {
    const response = await post(`/v1/features/${route}`, body());
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toEqual(expect.any(String));
  });

  it.each([
    ['gif (first frame)', async () => sharp(coffee).gif().toBuffer()],
    ['webp', async () => sharp(coffee).webp().toBuffer()],
    ['avif', async () => sharp(coffee).avif().toBuffer()],
    ['tiff', async () => sharp(coffee).tiff().toBuffer()],
  ])('reads %s input', async (_name, make) => {
    const response = await post('/v1/features/enhance', { image: { base64: (await make()).toString('base64') } });
    expect(response.status).toBe(200);
    expect((await response.json()).images[0]).toMatchObject({ width: 600, height: 400 });
  });
});

describe('inputs that real clients send (shared/fixtures/cases)', () => {
  const cases = join(fixtures, '../cases');
  const jpegUri = (bytes: Buffer) => `data:image/jpeg;base64,${bytes.toString('base64')}`;

  it('a phone photo with EXIF orientation 6 upscales upright: 80×160, red on top, no tag', async () => {
    const response = await post('/v1/features/upscale', { image: jpegUri(readFileSync(join(cases, 'exif-orientation-6-phone.jpg'))), scale: 2 });
    expect(response.status).toBe(200);
    const image = (await response.json()).images[0];
    expect([image.width, image.height, image.mime_type]).toEqual([80, 160, 'image/jpeg']);
    const bytes = new Uint8Array(await (await app.request(image.url)).arrayBuffer());
    expect((await sharp(bytes).metadata()).orientation).toBeUndefined();
    const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[(10 * 80 + 40) * 3]).toBeGreaterThan(180);
  });

  it('a 10000×20 panorama works, and an expand to a 56-megapixel output is refused naming the limit', async () => {
    const panorama = jpegUri(readFileSync(join(cases, 'panorama-10000x20.jpg')));
    expect((await post('/v1/features/enhance', { image: panorama })).status).toBe(200);
    const refused = await post('/v1/features/image-expand', { image: panorama, aspect_ratio: '16:9' });
    expect(refused.status).toBe(413);
    const { error } = await refused.json();
    expect(error.code).toBe('output_too_large');
    expect(error.message).toMatch(/10000×5625.*DARKROOM_MAX_OUTPUT_PIXELS/);
    expect(error.details).toMatchObject({ maxOutputPixels: 50_000_000 });
  });

  it('a 1×1 PNG goes through every image feature, never "corrupt"', async () => {
    const pixel = dataUri(readFileSync(join(cases, 'one-pixel.png')));
    for (const [route, extra] of [['upscale', {}], ['enhance', { denoise: 1 }], ['relight', {}], ['style-transfer', { style: 'pencil-sketch' }], ['image-expand', { aspect_ratio: '16:9' }], ['remove-background', {}]] as const) {
      const response = await post(`/v1/features/${route}`, { image: pixel, ...extra });
      expect(response.status, route).toBe(200);
    }
  });
});

describe('output formats', () => {
  it.each([
    ['relight', { direction: 'left' }, 'jpeg', 'image/jpeg'],
    ['style-transfer', { style: 'sepia' }, 'webp', 'image/webp'],
    ['enhance', {}, 'jpeg', 'image/jpeg'],
    ['image-expand', { left: 10 }, 'webp', 'image/webp'],
    ['remove-background', { mask_only: true }, 'jpeg', 'image/jpeg'],
    ['upscale', {}, 'webp', 'image/webp'],
  ] as const)('%s writes %s when asked', async (route, extra, format, mime) => {
    const response = await post(`/v1/features/${route}`, { image: dataUri(coffee), ...extra, format });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.images[0].mime_type).toBe(mime);
    expect((await app.request(body.image_url)).headers.get('content-type')).toBe(mime);
  });

  it('flattens a JPEG cut-out on the background colour asked for (JPEG has no alpha)', async () => {
    const response = await post('/v1/features/remove-background', { image: dataUri(coffee), format: 'jpeg', background: '#00ff00' });
    expect(response.status).toBe(200);
    const image = (await response.json()).images[0];
    expect(image.mime_type).toBe('image/jpeg');
    const bytes = new Uint8Array(await (await app.request(image.url)).arrayBuffer());
    const corner = await sharp(bytes).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
    expect(corner[1]).toBeGreaterThan(200);
    expect((await post('/v1/features/remove-background', { image: dataUri(coffee), format: 'jpeg', background: 'green' })).status).toBe(400);
  });

  it('generates in the requested format', async () => {
    const body = await (await post('/v1/features/image-generation', { prompt: 'a kite', width: 128, height: 128, format: 'jpeg' })).json();
    expect(body.images[0]).toMatchObject({ mime_type: 'image/jpeg', width: 128, height: 128 });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentKey, createEngine, definePlugin } from '@darkroom/core';
import { startFakeCloudinary, type FakeCloudinary } from './testing-fake-cloudinary.js';

const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');
const horse = new Uint8Array(readFileSync(join(fixtures, 'horse.png')));
let fake: FakeCloudinary;
let storageModule: typeof import('./create-cloudinary-storage.js');

beforeAll(async () => {
  fake = await startFakeCloudinary();
  // The SDK picks http or https from CLOUDINARY_URL when it loads: set it first.
  process.env.CLOUDINARY_URL = fake.cloudinaryUrl;
  storageModule = await import('./create-cloudinary-storage.js');
});
afterAll(() => fake.close());

describe('cloudinary storage', () => {
  it('uploads signed, once per content, and reads and deletes by public_id', async () => {
    const storage = storageModule.createCloudinaryStorage();
    const stored = await storage.put(horse, { mimeType: 'image/png' });
    expect(stored).toEqual({ key: contentKey(horse), id: `darkroom/${contentKey(horse)}`, url: expect.stringMatching(new RegExp(`^${fake.url}/demo-cloud/image/upload/v\\d+/darkroom/`)) });
    expect(fake.uploads[0]).toMatchObject({ public_id: `darkroom/${contentKey(horse)}`, overwrite: '0', api_key: fake.key, timestamp: expect.any(String), signature: expect.any(String) });
    await storage.put(horse, { mimeType: 'image/png' });
    expect(fake.files.size).toBe(1);
    expect(Buffer.from(await storage.get(stored)).equals(Buffer.from(horse))).toBe(true);
    await storage.delete(stored);
    expect(fake.destroyed).toEqual([stored.id]);
    await expect(storage.get(stored)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('says what is wrong with a bad or missing CLOUDINARY_URL', async () => {
    await expect(storageModule.createCloudinaryStorage({ url: `cloudinary://${fake.key}:wrong-secret@demo-cloud?upload_prefix=${fake.url}` }).put(horse, { mimeType: 'image/png' })).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/check CLOUDINARY_URL/) });
    expect(await storageModule.createCloudinaryStorage({ url: 'http://nope' }).health()).toMatchObject({ ok: false, message: expect.stringMatching(/cloudinary:\/\//) });
  });

  it('backs an engine: gallery rows keep the Cloudinary URL and id; permanent delete removes the file', async () => {
    const { upscaleFeature } = await import('@darkroom/plugin-upscale');
    const { createLocalProvider } = await import('@darkroom/provider-local');
    const engine = await createEngine({ plugins: [definePlugin({ name: 'p', features: [upscaleFeature] })], providers: [createLocalProvider()], storage: storageModule.createCloudinaryStorage() });
    try {
      const result = await engine.run('upscale', { image: { base64: Buffer.from(horse).toString('base64') }, scale: 2 });
      const item = await engine.gallery.get('local', result.images[0]!.galleryId);
      expect(item.imageUrl).toMatch(new RegExp(`^${fake.url}/demo-cloud/image/upload/`));
      expect(item.metadata).toMatchObject({ storage: { id: expect.stringMatching(/^darkroom\//), url: item.imageUrl } });
      expect((await engine.assets.read('local', item.assetId)).bytes.byteLength).toBeGreaterThan(0);
      await engine.gallery.deletePermanently('local', item.id);
      expect(fake.destroyed).toContain((item.metadata.storage as { id: string }).id);
    } finally {
      await engine.close();
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryAssetStorage } from '../storage/create-memory-asset-storage.js';
import { createInstantProvider, testPlugin } from '../testing/test-plugin.js';
import { createEngine } from './create-engine.js';

const photo = readFileSync(join(import.meta.dirname, '../../../../../shared/fixtures/images/coffee.png'));
const photoDataUri = `data:image/png;base64,${photo.toString('base64')}`;

/** Memory storage that counts the bytes it is asked to store. */
function countingStorage() {
  const storage = createMemoryAssetStorage();
  const puts: Uint8Array[] = [];
  return { puts, storage: { ...storage, name: storage.name, put: (bytes: Uint8Array, options: { mimeType: string }) => (puts.push(bytes), storage.put(bytes, options)), get: storage.get.bind(storage), delete: storage.delete.bind(storage), health: storage.health.bind(storage) } };
}

/** Spies on every way Node turns bytes into base64 text or back. */
function spyOnBase64() {
  const toString = vi.spyOn(Buffer.prototype, 'toString');
  const from = vi.spyOn(Buffer, 'from');
  return () => [...toString.mock.calls.filter(([encoding]) => String(encoding).startsWith('base64')), ...from.mock.calls.filter(([, encoding]) => String(encoding).startsWith('base64'))];
}

afterEach(() => vi.restoreAllMocks());

describe('engine.run with raw bytes', () => {
  it('stores a Buffer once, as it is, with no base64 on the way, and the job holds an asset reference', async () => {
    const { puts, storage } = countingStorage();
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], storage, runner: { pollMs: 20 } });
    try {
      const base64Calls = spyOnBase64();
      const job = await engine.submit('enlarge', { image: photo, scale: 2 }, { userId: 'u1' });
      expect(base64Calls()).toEqual([]);
      expect(puts).toHaveLength(1);
      expect(puts[0]).toBe(photo);
      expect(job.input).toEqual({ feature: 'enlarge', input: { image: { asset_id: expect.stringMatching(/^ast_/) }, scale: 2 } });
      const result = await engine.result('u1', job.id);
      expect(result.images[0]).toMatchObject({ width: 1200, height: 800 });
      // The control: the spy does see a data URI decoded.
      await engine.submit('enlarge', { image: photoDataUri }, { userId: 'u1' });
      expect(base64Calls().length).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('takes a Uint8Array in run(), and refuses bytes that are not an image with invalid_image, queueing nothing', async () => {
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], runner: { pollMs: 20 } });
    try {
      const result = await engine.run('enlarge', { image: new Uint8Array(photo), scale: 2 });
      expect(result.images[0]).toMatchObject({ width: 1200, height: 800 });
      await expect(engine.run('enlarge', { image: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: 'invalid_image' });
      // The rest of the input is validated before the bytes are stored.
      await expect(engine.run('enlarge', { image: photo, scale: 3 })).rejects.toMatchObject({ code: 'invalid_input' });
      expect(Object.values(await engine.jobs.counts()).reduce((sum, count) => sum + count, 0)).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('with an idempotency key: the same bytes answer the same job and store once; other bytes are a mismatch', async () => {
    const { puts, storage } = countingStorage();
    const engine = await createEngine({ plugins: [testPlugin], providers: [createInstantProvider()], storage, runner: { pollMs: 20 } });
    try {
      const first = await engine.submit('enlarge', { image: photo }, { userId: 'u1', idempotencyKey: 'k1' });
      const again = await engine.submit('enlarge', { image: Buffer.from(photo) }, { userId: 'u1', idempotencyKey: 'k1' });
      expect(again.id).toBe(first.id);
      expect(again.input).toEqual(first.input);
      const other = Buffer.from(photo);
      other[other.length - 20] ^= 0xff;
      await expect(engine.submit('enlarge', { image: other }, { userId: 'u1', idempotencyKey: 'k1' })).rejects.toMatchObject({ code: 'idempotency_mismatch' });
      // The replay named the first asset row (equal inputs): no second row was written.
      expect(puts.every((bytes) => bytes.byteLength === photo.byteLength)).toBe(true);
      await engine.result('u1', first.id);
    } finally {
      await engine.close();
    }
  });
});

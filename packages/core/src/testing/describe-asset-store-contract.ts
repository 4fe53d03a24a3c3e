import { describe, expect, it } from 'vitest';
import type { AssetStore, NewAsset } from '../store/asset-store.js';
import { createId } from '../store/create-id.js';
import { openStoreSubject, type StoreContractOptions, type StoreSubject } from './open-store-subject.js';

export type AssetStoreSubject = StoreSubject<AssetStore>;

export type AssetStoreContractOptions = StoreContractOptions<AssetStore>;

/**
 * The contract every `AssetStore` keeps: rows per user over shared content-addressed files, one row
 * per effect key, and a delete that says whether the file is still used. `open` is called once per
 * backend; every test works under users and files of its own.
 *
 * @example
 * describeAssetStoreContract('sqlite', async () => {
 *   const database = await createDatabase({ kind: 'memory' });
 *   return { store: createSqlAssetStore(database), dispose: () => database.close() };
 * });
 */
export function describeAssetStoreContract(name: string, open: () => Promise<AssetStoreSubject>, options: AssetStoreContractOptions = {}): void {
  describe(`asset store contract: ${name}`, () => {
    let store!: AssetStore;
    openStoreSubject(open, options, (opened) => (store = opened));

    const user = () => createId('usr');
    const file = () => createId('sha').replace(/[^0-9a-z]/g, '').padEnd(64, '0').slice(0, 64);
    const asset = (userId: string, sha256: string, overrides: Partial<NewAsset> = {}): NewAsset => ({
      id: createId('ast'),
      userId,
      sha256,
      mimeType: 'image/png',
      size: 10,
      width: 2,
      height: 3,
      createdAt: Date.now(),
      remoteUrl: null,
      remoteId: null,
      effectKey: null,
      ...overrides,
    });

    it('keeps a row as written, for its user only', async () => {
      const gina = user();
      const written = asset(gina, file(), { mimeType: 'image/webp', size: 5_000_000_000, width: 4096, height: 2160, remoteUrl: 'https://cdn.example/x.webp', remoteId: 'darkroom/x' });
      const { effectKey: _none, ...expected } = written;
      expect(await store.insertOnce(written)).toEqual(expected);
      expect(await store.get(gina, written.id)).toEqual(expected);
      expect(await store.get(user(), written.id)).toBeUndefined();
      expect(await store.get(gina, 'ast_missing')).toBeUndefined();
    });

    it('writes a row once per effect key', async () => {
      const gina = user();
      const sha256 = file();
      const effectKey = `${createId('job')}:run:image-0`;
      const first = await store.insertOnce(asset(gina, sha256, { effectKey }));
      const again = await store.insertOnce(asset(gina, sha256, { effectKey, width: 99 }));
      expect(again).toEqual(first);
    });

    it('finds a row by its effect key, for its user only', async () => {
      const gina = user();
      const effectKey = `request:${gina}:${createId('job')}:$.image`;
      expect(await store.getByEffectKey(gina, effectKey)).toBeUndefined();
      const written = await store.insertOnce(asset(gina, file(), { effectKey }));
      expect(await store.getByEffectKey(gina, effectKey)).toEqual(written);
      expect(await store.getByEffectKey(user(), effectKey)).toBeUndefined();
    });

    it('deletes rows over one shared file, saying when the last one goes', async () => {
      const sha256 = file();
      const mine = await store.insertOnce(asset(user(), sha256));
      const theirs = await store.insertOnce(asset(user(), sha256, { remoteUrl: 'https://cdn.example/y', remoteId: 'darkroom/y' }));
      expect(await store.delete(mine.id)).toEqual({ sha256, remoteUrl: null, remoteId: null, stillReferenced: true });
      expect(await store.get(mine.userId, mine.id)).toBeUndefined();
      expect(await store.delete(mine.id)).toBeUndefined();
      expect(await store.delete(theirs.id)).toEqual({ sha256, remoteUrl: 'https://cdn.example/y', remoteId: 'darkroom/y', stillReferenced: false });
    });
  });
}

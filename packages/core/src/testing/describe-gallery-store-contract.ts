import { describe, expect, it } from 'vitest';
import { createId } from '../store/create-id.js';
import type { GalleryStore, NewGalleryItem } from '../store/gallery-store.js';
import { openStoreSubject, type StoreContractOptions, type StoreSubject } from './open-store-subject.js';

export type GalleryStoreSubject = StoreSubject<GalleryStore>;

export type GalleryStoreContractOptions = StoreContractOptions<GalleryStore>;

/**
 * The contract every `GalleryStore` keeps: scoping by user, one row per effect key, soft delete and
 * restore, permanent delete, paging newest first with filters, and whether an asset is still shown.
 * `open` is called once per backend; every test works under users of its own.
 *
 * @example
 * describeGalleryStoreContract('sqlite', async () => {
 *   const database = await createDatabase({ kind: 'memory' });
 *   return { store: createSqlGalleryStore(database), dispose: () => database.close() };
 * });
 */
export function describeGalleryStoreContract(name: string, open: () => Promise<GalleryStoreSubject>, options: GalleryStoreContractOptions = {}): void {
  describe(`gallery store contract: ${name}`, () => {
    let store!: GalleryStore;
    openStoreSubject(open, options, (opened) => (store = opened));

    const user = () => createId('usr');
    const item = (userId: string, overrides: Partial<NewGalleryItem> = {}): NewGalleryItem => ({
      id: createId('img'),
      userId,
      assetId: createId('ast'),
      imageUrl: '/v1/assets/x',
      refinedPrompt: 'a prompt',
      intent: 'image_generate',
      feature: 'generate',
      provider: 'local',
      model: 'm',
      seed: 42,
      origin: { source: 'direct' },
      metadata: { steps: 30, nested: { list: [1, 'two'] }, session_id: 'kept as given' },
      effectKey: null,
      createdAt: Date.now(),
      ...overrides,
    });

    it('keeps a row as written, origin and metadata apart, for its user only', async () => {
      const carol = user();
      const direct = item(carol);
      const { effectKey: _none, ...expected } = direct;
      expect(await store.insertOnce(direct)).toEqual({ ...expected, deletedAt: null });
      expect(await store.get(carol, direct.id)).toEqual({ ...expected, deletedAt: null });
      const chat = item(carol, { origin: { source: 'chat', sessionId: 'ses_1', messageId: 'msg_1' }, metadata: { original_prompt: 'a fox', storage: { id: 'c1', url: 'https://cdn/x' } }, seed: null, refinedPrompt: null });
      await store.insertOnce(chat);
      expect(await store.get(carol, chat.id)).toMatchObject({ origin: { source: 'chat', sessionId: 'ses_1', messageId: 'msg_1' }, metadata: { original_prompt: 'a fox', storage: { id: 'c1', url: 'https://cdn/x' } }, seed: null, refinedPrompt: null });
      expect(Object.keys((await store.get(carol, chat.id))!.metadata).sort()).toEqual(['original_prompt', 'storage']);
      expect(await store.get(user(), direct.id)).toBeUndefined();
    });

    it('writes a row once per effect key', async () => {
      const carol = user();
      const effectKey = `${createId('job')}:step-0:image-0`;
      const first = await store.insertOnce(item(carol, { effectKey }));
      const again = await store.insertOnce(item(carol, { effectKey, refinedPrompt: 'another' }));
      expect(again).toEqual(first);
      expect((await store.list(carol)).items).toEqual([first]);
      expect(await store.getByEffectKey(carol, effectKey)).toEqual(first);
      expect(await store.getByEffectKey(user(), effectKey)).toBeUndefined();
    });

    it('soft-deletes, lists deleted, restores and deletes permanently, each for its user only', async () => {
      const dave = user();
      const eve = user();
      const row = await store.insertOnce(item(dave));
      expect(await store.softDelete(eve, row.id)).toBe(false);
      const before = Date.now();
      expect(await store.softDelete(dave, row.id)).toBe(true);
      expect(await store.softDelete(dave, row.id)).toBe(false);
      expect(await store.get(dave, row.id)).toBeUndefined();
      const deleted = await store.get(dave, row.id, { includeDeleted: true });
      expect(deleted!.deletedAt).toBeGreaterThanOrEqual(before);
      expect((await store.list(dave, { deleted: true })).items.map((found) => found.id)).toEqual([row.id]);
      expect((await store.list(dave)).items).toEqual([]);
      expect(await store.restore(eve, row.id)).toBeUndefined();
      expect(await store.restore(dave, row.id)).toEqual(row);
      expect(await store.deletePermanently(eve, row.id)).toBeUndefined();
      expect(await store.deletePermanently(dave, row.id)).toEqual(row);
      expect(await store.get(dave, row.id, { includeDeleted: true })).toBeUndefined();
      expect(await store.deletePermanently(dave, row.id)).toBeUndefined();
      expect(await store.restore(dave, row.id)).toBeUndefined();
    });

    it('pages newest first with filters by source, session, intent and time', async () => {
      const frank = user();
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const chat = index % 2 === 0;
        const row = item(frank, {
          origin: chat ? { source: 'chat', sessionId: 'ses_1', messageId: `msg_${index}` } : { source: 'direct' },
          intent: chat ? 'image_generate' : 'image_upscale',
          createdAt: 10_000 + index * 1_000,
        });
        ids.push((await store.insertOnce(row)).id);
      }
      const first = await store.list(frank, { limit: 2 });
      expect(first.items.map((found) => found.id)).toEqual([ids[4], ids[3]]);
      const second = await store.list(frank, { limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((found) => found.id)).toEqual([ids[2], ids[1]]);
      const last = await store.list(frank, { limit: 2, cursor: second.nextCursor! });
      expect(last.items.map((found) => found.id)).toEqual([ids[0]]);
      expect(last.nextCursor).toBeNull();
      expect((await store.list(frank, { limit: 5 })).nextCursor).toBeNull();
      expect((await store.list(frank, { limit: 0 })).items).toHaveLength(1);

      const chat = await store.list(frank, { source: 'chat', sessionId: 'ses_1' });
      expect(chat.items.map((found) => found.id)).toEqual([ids[4], ids[2], ids[0]]);
      expect(chat.items[0]!.origin).toEqual({ source: 'chat', sessionId: 'ses_1', messageId: 'msg_4' });
      expect((await store.list(frank, { sessionId: 'ses_other' })).items).toEqual([]);
      expect((await store.list(frank, { source: 'direct' })).items.map((found) => found.id)).toEqual([ids[3], ids[1]]);
      expect((await store.list(frank, { intent: 'image_upscale' })).items).toHaveLength(2);
      expect((await store.list(frank, { createdAfter: 12_000, createdBefore: 14_000 })).items.map((found) => found.id)).toEqual([ids[3], ids[2]]);
      expect((await store.list(user())).items).toEqual([]);
    });

    it('tells whether an asset is still shown, and whether only by deleted rows', async () => {
      const gina = user();
      const assetId = createId('ast');
      expect(await store.assetInUse(assetId)).toBe(false);
      expect(await store.assetWithdrawn(assetId)).toBe(false);
      const one = await store.insertOnce(item(gina, { assetId }));
      const two = await store.insertOnce(item(gina, { assetId }));
      expect(await store.assetInUse(assetId)).toBe(true);
      await store.softDelete(gina, one.id);
      expect(await store.assetWithdrawn(assetId)).toBe(false);
      await store.softDelete(gina, two.id);
      expect(await store.assetWithdrawn(assetId)).toBe(true);
      expect(await store.assetInUse(assetId)).toBe(true);
      await store.deletePermanently(gina, one.id);
      await store.deletePermanently(gina, two.id);
      expect(await store.assetInUse(assetId)).toBe(false);
    });
  });
}

import type { Kysely } from 'kysely';
import type { DatabaseSchema, GalleryTable } from './database-schema.js';
import { fromJsonColumn } from './json-column.js';

export type GallerySource = 'chat' | 'direct';

export interface GalleryItem {
  id: string;
  user_id: string;
  asset_id: string;
  image_url: string;
  refined_prompt: string | null;
  intent: string | null;
  feature: string | null;
  provider: string | null;
  model: string | null;
  seed: number | null;
  /** `source: "chat"` with `session_id` and `message_id`, or `source: "direct"`. */
  metadata: Record<string, unknown> & { source: GallerySource };
  created_at: string;
  deleted_at: string | null;
}

const toItem = (row: GalleryTable): GalleryItem => ({
  id: row.id,
  user_id: row.user_id,
  asset_id: row.asset_id,
  image_url: row.image_url,
  refined_prompt: row.refined_prompt,
  intent: row.intent,
  feature: row.feature,
  provider: row.provider,
  model: row.model,
  seed: row.seed,
  metadata: fromJsonColumn<GalleryItem['metadata']>(row.metadata) ?? { source: row.source as GallerySource },
  created_at: new Date(row.created_at).toISOString(),
  deleted_at: row.deleted_at === null ? null : new Date(row.deleted_at).toISOString(),
});

export interface GalleryQuery {
  deleted?: boolean;
  limit?: number;
  /** The `next_cursor` of the previous page. */
  cursor?: string;
  source?: GallerySource;
  intent?: string;
  sessionId?: string;
  /** Epoch ms: only rows created at or after. */
  createdAfter?: number;
  /** Epoch ms: only rows created before. */
  createdBefore?: number;
}

export function createGalleryStore(db: Kysely<DatabaseSchema>) {
  const scoped = (userId: string, id: string) =>
    db.selectFrom('gallery').selectAll().where('id', '=', id).where('user_id', '=', userId);

  return {
    /** Inserts; with an effect key, a repeat returns the first row, so a re-run never duplicates it. */
    async insertOnce(row: GalleryTable): Promise<GalleryItem> {
      if (row.effect_key === null) {
        await db.insertInto('gallery').values(row).execute();
        return toItem(row);
      }
      await db.insertInto('gallery').values(row).onConflict((conflict) => conflict.column('effect_key').doNothing()).execute();
      return toItem(await db.selectFrom('gallery').selectAll().where('effect_key', '=', row.effect_key).executeTakeFirstOrThrow());
    },
    async getByEffectKey(userId: string, effectKey: string): Promise<GalleryItem | undefined> {
      const row = await db.selectFrom('gallery').selectAll().where('effect_key', '=', effectKey).where('user_id', '=', userId).executeTakeFirst();
      return row && toItem(row);
    },
    async get(userId: string, id: string, options: { includeDeleted?: boolean } = {}): Promise<GalleryItem | undefined> {
      let query = scoped(userId, id);
      if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
      const row = await query.executeTakeFirst();
      return row && toItem(row);
    },
    /** Newest first; `next_cursor` is set when more rows exist. */
    async list(userId: string, query: GalleryQuery = {}): Promise<{ items: GalleryItem[]; next_cursor: string | null }> {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
      let select = db.selectFrom('gallery').selectAll().where('user_id', '=', userId);
      select = query.deleted ? select.where('deleted_at', 'is not', null) : select.where('deleted_at', 'is', null);
      if (query.source) select = select.where('source', '=', query.source);
      if (query.intent) select = select.where('intent', '=', query.intent);
      if (query.sessionId) select = select.where('session_id', '=', query.sessionId);
      if (query.createdAfter !== undefined) select = select.where('created_at', '>=', query.createdAfter);
      if (query.createdBefore !== undefined) select = select.where('created_at', '<', query.createdBefore);
      if (query.cursor) select = select.where('id', '<', query.cursor);
      const rows = await select.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit).map(toItem);
      return { items: page, next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
    },
    async softDelete(userId: string, id: string): Promise<boolean> {
      const result = await db
        .updateTable('gallery')
        .set({ deleted_at: Date.now() })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async restore(userId: string, id: string): Promise<GalleryItem | undefined> {
      await db.updateTable('gallery').set({ deleted_at: null }).where('id', '=', id).where('user_id', '=', userId).execute();
      return this.get(userId, id);
    },
    /** Removes the row for good; answers the removed row so the caller can drop its asset. */
    async deletePermanently(userId: string, id: string): Promise<GalleryItem | undefined> {
      const row = await scoped(userId, id).executeTakeFirst();
      if (!row) return undefined;
      await db.deleteFrom('gallery').where('id', '=', id).execute();
      return toItem(row);
    },
    /** Whether the asset is in the gallery only as deleted rows (so links shared to it must stop working). */
    async assetWithdrawn(assetId: string): Promise<boolean> {
      const rows = await db.selectFrom('gallery').select('deleted_at').where('asset_id', '=', assetId).execute();
      return rows.length > 0 && rows.every((row) => row.deleted_at !== null);
    },
    /** Whether another gallery row still shows this asset. */
    async assetInUse(assetId: string): Promise<boolean> {
      return (await db.selectFrom('gallery').select('id').where('asset_id', '=', assetId).limit(1).executeTakeFirst()) !== undefined;
    },
  };
}

export type GalleryStore = ReturnType<typeof createGalleryStore>;

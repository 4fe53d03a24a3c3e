import type { Kysely } from 'kysely';
import type { DatabaseSchema, GalleryTable } from './database-schema.js';
import type { GalleryItem, GallerySource, GalleryStore, NewGalleryItem, Origin } from './gallery-store.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { metadataWithOrigin } from './metadata-with-origin.js';
import { probeDatabase } from './probe-database.js';

/** `gallery.metadata` holds the item's metadata with its origin merged in (`metadataWithOrigin`); read back, the origin is taken out. */
function toItem(row: GalleryTable): GalleryItem {
  const stored = fromJsonColumn<Record<string, unknown>>(row.metadata) ?? {};
  const { source: _source, ...rest } = stored;
  let origin: Origin = { source: 'direct' };
  let metadata: Record<string, unknown> = rest;
  if ((row.source as GallerySource) === 'chat') {
    const { session_id: sessionId, message_id: messageId, ...own } = rest;
    origin = { source: 'chat', sessionId: String(sessionId ?? row.session_id ?? ''), messageId: String(messageId ?? '') };
    metadata = own;
  }
  return {
    id: row.id,
    userId: row.user_id,
    assetId: row.asset_id,
    imageUrl: row.image_url,
    refinedPrompt: row.refined_prompt,
    intent: row.intent,
    feature: row.feature,
    provider: row.provider,
    model: row.model,
    seed: row.seed === null ? null : Number(row.seed),
    origin,
    metadata,
    createdAt: Number(row.created_at),
    deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  };
}

const toRow = (item: NewGalleryItem): GalleryTable => ({
  id: item.id,
  user_id: item.userId,
  asset_id: item.assetId,
  image_url: item.imageUrl,
  refined_prompt: item.refinedPrompt,
  intent: item.intent,
  feature: item.feature,
  provider: item.provider,
  model: item.model,
  seed: item.seed,
  source: item.origin.source,
  session_id: item.origin.source === 'chat' ? item.origin.sessionId : null,
  metadata: toJsonColumn(metadataWithOrigin(item)),
  effect_key: item.effectKey,
  created_at: item.createdAt,
  deleted_at: null,
});

/**
 * The gallery store on the engine's SQL database (SQLite or PostgreSQL through kysely), in the
 * `gallery` table. The database is given, so `close()` leaves it open.
 *
 * @example
 * const gallery = createSqlGalleryStore(await createDatabase({ kind: 'memory' }));
 * const { items, nextCursor } = await gallery.list('u1', { limit: 20 });
 */
export function createSqlGalleryStore(database: { db: Kysely<DatabaseSchema> }): GalleryStore {
  const { db } = database;
  const scoped = (userId: string, id: string) => db.selectFrom('gallery').selectAll().where('id', '=', id).where('user_id', '=', userId);
  const get = async (userId: string, id: string, options: { includeDeleted?: boolean } = {}) => {
    let query = scoped(userId, id);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirst();
    return row && toItem(row);
  };
  return {
    name: 'sql',
    ready: () => probeDatabase(db, 'gallery store'),

    async insertOnce(item) {
      const row = toRow(item);
      if (row.effect_key === null) {
        await db.insertInto('gallery').values(row).execute();
        return toItem(row);
      }
      const inserted = await db.insertInto('gallery').values(row).onConflict((conflict) => conflict.column('effect_key').doNothing()).executeTakeFirst();
      // Written now: the row is what was given. Written before (a re-run): read the first one.
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return toItem(row);
      return toItem(await db.selectFrom('gallery').selectAll().where('effect_key', '=', row.effect_key).executeTakeFirstOrThrow());
    },

    async getByEffectKey(userId, effectKey) {
      const row = await db.selectFrom('gallery').selectAll().where('effect_key', '=', effectKey).where('user_id', '=', userId).executeTakeFirst();
      return row && toItem(row);
    },

    get,

    async list(userId, query = {}) {
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
      const items = rows.slice(0, limit).map(toItem);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
    },

    async softDelete(userId, id) {
      const result = await db.updateTable('gallery').set({ deleted_at: Date.now() }).where('id', '=', id).where('user_id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async restore(userId, id) {
      await db.updateTable('gallery').set({ deleted_at: null }).where('id', '=', id).where('user_id', '=', userId).execute();
      return get(userId, id);
    },

    async deletePermanently(userId, id) {
      const row = await scoped(userId, id).executeTakeFirst();
      if (!row) return undefined;
      await db.deleteFrom('gallery').where('id', '=', id).where('user_id', '=', userId).execute();
      return toItem(row);
    },

    async assetWithdrawn(assetId) {
      const rows = await db.selectFrom('gallery').select('deleted_at').where('asset_id', '=', assetId).execute();
      return rows.length > 0 && rows.every((row) => row.deleted_at !== null);
    },

    async assetInUse(assetId) {
      return (await db.selectFrom('gallery').select('id').where('asset_id', '=', assetId).limit(1).executeTakeFirst()) !== undefined;
    },

    async close() {},
  };
}

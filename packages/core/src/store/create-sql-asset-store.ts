import type { Kysely } from 'kysely';
import type { AssetRecord, AssetStore, NewAsset } from './asset-store.js';
import type { AssetsTable, DatabaseSchema } from './database-schema.js';
import { probeDatabase } from './probe-database.js';

const toAsset = (row: AssetsTable): AssetRecord => ({
  id: row.id,
  userId: row.user_id,
  sha256: row.sha256,
  mimeType: row.mime_type,
  size: Number(row.size),
  width: row.width,
  height: row.height,
  createdAt: Number(row.created_at),
  remoteUrl: row.remote_url ?? null,
  remoteId: row.remote_id ?? null,
});

const toRow = (asset: NewAsset): AssetsTable => ({
  id: asset.id,
  user_id: asset.userId,
  sha256: asset.sha256,
  mime_type: asset.mimeType,
  size: asset.size,
  width: asset.width,
  height: asset.height,
  effect_key: asset.effectKey,
  created_at: asset.createdAt,
  remote_url: asset.remoteUrl,
  remote_id: asset.remoteId,
});

/**
 * The asset store on the engine's SQL database (SQLite or PostgreSQL through kysely), in the
 * `assets` table. The database is given, so `close()` leaves it open.
 *
 * @example
 * const assets = createSqlAssetStore(await createDatabase({ kind: 'memory' }));
 * const asset = await assets.get('u1', 'ast_…');
 */
export function createSqlAssetStore(database: { db: Kysely<DatabaseSchema> }): AssetStore {
  const { db } = database;
  return {
    name: 'sql',
    ready: () => probeDatabase(db, 'asset store'),

    async insertOnce(asset) {
      const row = toRow(asset);
      if (row.effect_key === null) {
        await db.insertInto('assets').values(row).execute();
        return toAsset(row);
      }
      const inserted = await db.insertInto('assets').values(row).onConflict((conflict) => conflict.column('effect_key').doNothing()).executeTakeFirst();
      // Written now: the row is what was given. Written before (a re-run): read the first one.
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return toAsset(row);
      return toAsset(await db.selectFrom('assets').selectAll().where('effect_key', '=', row.effect_key).executeTakeFirstOrThrow());
    },

    async get(userId, id) {
      const row = await db.selectFrom('assets').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return row && toAsset(row);
    },

    async getByEffectKey(userId, effectKey) {
      const row = await db.selectFrom('assets').selectAll().where('effect_key', '=', effectKey).where('user_id', '=', userId).executeTakeFirst();
      return row && toAsset(row);
    },

    async delete(id) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('assets').select(['sha256', 'remote_url', 'remote_id']).where('id', '=', id).executeTakeFirst();
        if (!row) return undefined;
        await trx.deleteFrom('assets').where('id', '=', id).execute();
        const other = await trx.selectFrom('assets').select('id').where('sha256', '=', row.sha256).limit(1).executeTakeFirst();
        return { sha256: row.sha256, remoteUrl: row.remote_url ?? null, remoteId: row.remote_id ?? null, stillReferenced: other !== undefined };
      });
    },

    async close() {},
  };
}

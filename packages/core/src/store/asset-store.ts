import type { Kysely } from 'kysely';
import type { AssetsTable, DatabaseSchema } from './database-schema.js';

export interface AssetRecord {
  id: string;
  user_id: string;
  sha256: string;
  mime_type: string;
  size: number;
  width: number;
  height: number;
  created_at: string;
  remote_url: string | null;
  remote_id: string | null;
}

const toAsset = (row: AssetsTable): AssetRecord => ({
  id: row.id,
  user_id: row.user_id,
  sha256: row.sha256,
  mime_type: row.mime_type,
  size: row.size,
  width: row.width,
  height: row.height,
  created_at: new Date(row.created_at).toISOString(),
  remote_url: row.remote_url ?? null,
  remote_id: row.remote_id ?? null,
});

/** Rows that give users ids for content-addressed files. Bytes never live in the database. */
export function createAssetStore(db: Kysely<DatabaseSchema>) {
  return {
    /** Inserts; with an effect key, a second insert for the same key returns the first row instead. */
    async insertOnce(row: AssetsTable): Promise<AssetRecord> {
      if (row.effect_key === null) {
        await db.insertInto('assets').values(row).execute();
        return toAsset(row);
      }
      await db.insertInto('assets').values(row).onConflict((conflict) => conflict.column('effect_key').doNothing()).execute();
      const stored = await db.selectFrom('assets').selectAll().where('effect_key', '=', row.effect_key).executeTakeFirstOrThrow();
      return toAsset(stored);
    },
    async get(userId: string, id: string): Promise<AssetRecord | undefined> {
      const row = await db.selectFrom('assets').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return row && toAsset(row);
    },
    /** Deletes the row; answers whether other rows still use the same file. */
    async delete(id: string): Promise<{ sha256: string; remote_id: string | null; stillReferenced: boolean } | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('assets').select(['sha256', 'remote_id']).where('id', '=', id).executeTakeFirst();
        if (!row) return undefined;
        await trx.deleteFrom('assets').where('id', '=', id).execute();
        const other = await trx.selectFrom('assets').select('id').where('sha256', '=', row.sha256).limit(1).executeTakeFirst();
        return { sha256: row.sha256, remote_id: row.remote_id ?? null, stillReferenced: other !== undefined };
      });
    },
  };
}

export type AssetStore = ReturnType<typeof createAssetStore>;

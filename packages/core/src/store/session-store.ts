import type { Kysely } from 'kysely';
import type { DatabaseSchema, SessionsTable } from './database-schema.js';
import { createId } from './create-id.js';

export interface Session {
  id: string;
  user_id: string;
  title: string | null;
  latest_asset_id: string | null;
  created_at: string;
  updated_at: string;
}

const toSession = (row: SessionsTable): Session => ({
  ...row,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

/** Chat sessions. Every read is scoped by user: another user's id is simply not found. */
export function createSessionStore(db: Kysely<DatabaseSchema>) {
  return {
    /** Inserts a session; with a given id that already exists, changes nothing and answers the stored row. */
    async create(input: { userId: string; title?: string | null; id?: string }): Promise<Session> {
      const now = Date.now();
      const row: SessionsTable = { id: input.id ?? createId('ses'), user_id: input.userId, title: input.title ?? null, latest_asset_id: null, created_at: now, updated_at: now };
      if (!input.id) {
        await db.insertInto('sessions').values(row).execute();
        return toSession(row);
      }
      await db.insertInto('sessions').values(row).onConflict((conflict) => conflict.column('id').doNothing()).execute();
      return toSession(await db.selectFrom('sessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow());
    },
    async get(userId: string, id: string): Promise<Session | undefined> {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return row && toSession(row);
    },
    /** Deletes the session and its messages in one transaction. Gallery rows stay: they belong to the user. */
    async delete(userId: string, id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        await trx.deleteFrom('messages').where('session_id', '=', id).execute();
        return true;
      });
    },
    async setLatestAsset(id: string, assetId: string): Promise<void> {
      await db.updateTable('sessions').set({ latest_asset_id: assetId, updated_at: Date.now() }).where('id', '=', id).execute();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

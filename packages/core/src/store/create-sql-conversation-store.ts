import type { Kysely } from 'kysely';
import { errors } from '@darkroom/plugin-api';
import type { ConversationStore, Message, MessageData, MessageStatus, Session } from './conversation-store.js';
import { maxMessagePage } from './conversation-store.js';
import { createId } from './create-id.js';
import type { DatabaseSchema, MessagesTable, SessionsTable } from './database-schema.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { probeDatabase } from './probe-database.js';
import { sessionDeletedError } from './session-deleted-error.js';
import { parseSessionPageQuery, sessionPageCursor } from './session-page-query.js';
import { fromStoredMessageData, toStoredMessageData, type StoredMessageData } from './stored-message-data.js';

const toSession = (row: SessionsTable): Session => ({
  id: row.id,
  userId: row.user_id,
  title: row.title,
  description: row.description,
  latestAssetId: row.latest_asset_id,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

/** `messages.data` is the JSON text of the message's stored data (seed 000's snake_case record). */
const toDataColumn = (data: MessageData): string => toJsonColumn(toStoredMessageData(data));

const toMessage = (row: MessagesTable): Message => ({
  id: row.id,
  sessionId: row.session_id,
  userId: row.user_id,
  role: row.role,
  content: row.content,
  status: row.status as MessageStatus | null,
  assetId: row.asset_id,
  jobId: row.job_id,
  data: fromStoredMessageData(fromJsonColumn<StoredMessageData | null>(row.data) ?? {}),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

/** Whether the user deleted the session `id` (read on `db`, which may be a transaction). */
const deletedIn = async (db: Kysely<DatabaseSchema>, userId: string, id: string): Promise<boolean> =>
  (await db.selectFrom('deleted_sessions').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()) !== undefined;

/**
 * The conversation store on the engine's SQL database (SQLite or PostgreSQL through kysely), in the
 * `sessions` and `messages` tables. The database is given, so `close()` leaves it open.
 *
 * A message is inserted in one transaction with an update of its session's row (which touches
 * `updatedAt`): that row lock orders the insert against `deleteSession`, which deletes the row and
 * then the session's messages in one transaction, so a turn still running never leaves a message
 * behind a deleted session (SQLite has one writer; PostgreSQL waits on the row lock). The delete
 * records the session's id in `deleted_sessions` in the same transaction, so that an id derived from
 * an Idempotency-Key is never created again.
 *
 * @example
 * const conversations = createSqlConversationStore(await createDatabase({ kind: 'memory' }));
 * const session = await conversations.createSession({ userId: 'u1', title: 'holiday' });
 */
export function createSqlConversationStore(database: { db: Kysely<DatabaseSchema> }): ConversationStore {
  const { db } = database;
  return {
    name: 'sql',
    ready: () => probeDatabase(db, 'conversation store'),

    async createSession(input) {
      const now = Date.now();
      const row: SessionsTable = { id: input.id ?? createId('ses'), user_id: input.userId, title: input.title ?? null, description: input.description ?? null, latest_asset_id: null, created_at: now, updated_at: now };
      if (!input.id) {
        await db.insertInto('sessions').values(row).execute();
        return toSession(row);
      }
      return db.transaction().execute(async (trx) => {
        await trx.insertInto('sessions').values(row).onConflict((conflict) => conflict.column('id').doNothing()).execute();
        // Read after the insert: a delete that committed meanwhile (even one the insert waited for) is
        // seen here, and the insert rolls back with the refusal.
        if (await deletedIn(trx, input.userId, row.id)) throw sessionDeletedError(row.id);
        return toSession(await trx.selectFrom('sessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    wasDeleted: (userId, id) => deletedIn(db, userId, id),

    async getSession(userId, id) {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return row && toSession(row);
    },

    async listSessions(userId, query) {
      const { limit, after } = parseSessionPageQuery(query);
      let select = db.selectFrom('sessions').selectAll().where('user_id', '=', userId);
      if (after) select = select.where((eb) => eb(eb.refTuple('updated_at', 'id'), '<', eb.tuple(after.updatedAt, after.id)));
      const rows = await select.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const sessions = rows.slice(0, limit).map(toSession);
      return { sessions, nextCursor: rows.length > limit ? sessionPageCursor(sessions[sessions.length - 1]!) : null };
    },

    async updateSession(userId, id, changes) {
      const row = await db
        .updateTable('sessions')
        .set({
          ...(changes.title !== undefined ? { title: changes.title } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          updated_at: Date.now(),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toSession(row);
    },

    async deleteSession(userId, id) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        await trx.insertInto('deleted_sessions').values({ id, user_id: userId, deleted_at: Date.now() }).onConflict((conflict) => conflict.column('id').doNothing()).execute();
        await trx.deleteFrom('messages').where('session_id', '=', id).execute();
        return true;
      });
    },

    async setLatestAsset(sessionId, assetId) {
      await db.updateTable('sessions').set({ latest_asset_id: assetId, updated_at: Date.now() }).where('id', '=', sessionId).execute();
    },

    async insertMessageOnce(message) {
      await db.transaction().execute(async (trx) => {
        // Only into the user's session while it exists, and only a message it does not hold yet: the
        // update locks the session's row until the insert commits (see deleteSession).
        const touched = await trx
          .updateTable('sessions')
          .set({ updated_at: Date.now() })
          .where('id', '=', message.sessionId)
          .where('user_id', '=', message.userId)
          .where((eb) => eb.not(eb.exists(eb.selectFrom('messages').select('id').where('id', '=', message.id))))
          .executeTakeFirst();
        if (Number(touched.numUpdatedRows) === 0) return;
        await trx
          .insertInto('messages')
          .values({
            id: message.id,
            session_id: message.sessionId,
            user_id: message.userId,
            role: message.role,
            content: message.content,
            status: message.status,
            asset_id: message.assetId ?? null,
            job_id: message.jobId ?? null,
            data: toDataColumn(message.data ?? {}),
            created_at: message.createdAt,
            // When the row was written, so a change feed sees it even when it is written late (a re-run).
            updated_at: Date.now(),
          })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .execute();
      });
    },

    async getMessage(userId, sessionId, id) {
      const row = await db.selectFrom('messages').selectAll().where('id', '=', id).where('session_id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
      return row && toMessage(row);
    },

    async listMessages(userId, sessionId, query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), maxMessagePage);
      const order = query.order ?? 'desc';
      let select = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('user_id', '=', userId);
      if (query.cursor) {
        const at = await db.selectFrom('messages').select(['created_at', 'id']).where('id', '=', query.cursor).where('session_id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
        if (!at) throw errors.invalidInput(`cursor ${JSON.stringify(query.cursor)} is not a message of this session; pass the next_cursor of the previous page`, { cursor: query.cursor });
        select = select.where((eb) => eb(eb.refTuple('created_at', 'id'), order === 'desc' ? '<' : '>', eb.tuple(at.created_at, at.id)));
      }
      const rows = await select.orderBy('created_at', order).orderBy('id', order).limit(limit + 1).execute();
      const messages = rows.slice(0, limit).map(toMessage);
      return { messages, nextCursor: rows.length > limit ? messages[messages.length - 1]!.id : null };
    },

    async messageChanges(userId, sessionId, query) {
      const limit = Math.min(Math.max(query.limit ?? maxMessagePage, 1), maxMessagePage);
      let select = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('user_id', '=', userId).where('updated_at', '>=', query.since);
      if (query.after) {
        const after = query.after;
        select = select.where((eb) => eb(eb.refTuple('updated_at', 'id'), '>', eb.tuple(after.updatedAt, after.id)));
      }
      const rows = await select.orderBy('updated_at').orderBy('id').limit(limit).execute();
      return rows.map(toMessage);
    },

    async completeMessage(id, update) {
      await db
        .updateTable('messages')
        .set({ status: update.status, content: update.content, data: toDataColumn(update.data), updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    },

    async close() {},
  };
}

import type { Kysely } from 'kysely';
import { errors } from '../errors/errors.js';
import type { DatabaseSchema, MessagesTable } from './database-schema.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';

export type MessageStatus = 'PROCESSING' | 'DONE' | 'FAILED';

/** A stored image as results and messages refer to it: ids and URL, never bytes. */
export interface ImageReference {
  asset_id: string;
  gallery_id: string;
  url: string;
  width: number;
  height: number;
  mime_type: string;
}

export interface MessageImage extends ImageReference {
  feature: string;
}

/** One step the router read from a message, as recorded on the assistant's answer. */
export interface DetectedIntentRecord {
  intent: string;
  feature: string;
  /** 0..1 */
  confidence: number;
  /**
   * The step's parameters: what was read from the words (`{ scale: 4 }`, `{ num_images: 2 }`) and,
   * for a step that ran, the prompt it ran with; image and mask references are left out.
   */
  parameters?: Record<string, unknown>;
}

/** What the assistant decided and produced, as in seed 000's conversation record. */
export interface MessageData {
  intents?: DetectedIntentRecord[];
  confidence?: number;
  /** Who decided: `rule-based`, or `provider:model` for a language model. */
  detector?: string;
  refined_prompt?: string;
  negative_prompt?: string;
  images?: MessageImage[];
  clarification?: string;
  error?: { code: string; message: string };
  image_url?: string;
}

export interface Message extends MessageData {
  id: string;
  session_id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus | null;
  asset_id: string | null;
  job_id: string | null;
  created_at: string;
  updated_at: string;
}

const toMessage = (row: MessagesTable): Message => ({
  id: row.id,
  session_id: row.session_id,
  role: row.role,
  content: row.content,
  status: row.status as MessageStatus | null,
  asset_id: row.asset_id,
  job_id: row.job_id,
  ...fromJsonColumn<MessageData>(row.data),
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

export interface NewMessage {
  id: string;
  sessionId: string;
  userId: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus | null;
  assetId?: string | null;
  jobId?: string | null;
  data?: MessageData;
  createdAt: number;
}

/** The most messages one page (or one read of changes) holds. */
export const maxMessagePage = 200;

/** A page request: `order` defaults to `desc` (newest first), `limit` to 50 (1..200). */
export interface MessageQuery {
  limit?: number;
  order?: 'asc' | 'desc';
  /** The `next_cursor` of the previous page (a message id of the session): the page starts after it. */
  cursor?: string;
}

/** `{ messages, next_cursor }`: `next_cursor` is null on the last page. */
export interface MessagePage {
  messages: Message[];
  next_cursor: string | null;
}

/** A read of what changed: `since` is epoch ms; `after` is the last message of the previous read. */
export interface MessageChangesQuery {
  since: number;
  after?: Pick<Message, 'id' | 'updated_at'>;
  /** 1..200, default 200. */
  limit?: number;
}

/** A session's messages. Every read is scoped by user and session: another user's message is simply not found. */
export function createMessageStore(db: Kysely<DatabaseSchema>) {
  return {
    /** Inserts unless a message with this id exists: safe to repeat after a crash. */
    async insertOnce(message: NewMessage): Promise<void> {
      await db
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
          data: toJsonColumn(message.data ?? {}),
          created_at: message.createdAt,
          // When the row was written, so a change feed sees it even when it is written late (a re-run).
          updated_at: Date.now(),
        })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    },
    async get(userId: string, sessionId: string, id: string): Promise<Message | undefined> {
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', id)
        .where('session_id', '=', sessionId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toMessage(row);
    },
    /**
     * One page of a session's messages in conversation order (`created_at`, then `id`): newest first
     * by default. `next_cursor` (the last message's id) is set when more messages follow in that order.
     */
    async list(userId: string, sessionId: string, query: MessageQuery = {}): Promise<MessagePage> {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), maxMessagePage);
      const order = query.order ?? 'desc';
      let select = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('user_id', '=', userId);
      if (query.cursor) {
        const at = await db.selectFrom('messages').select(['created_at', 'id']).where('id', '=', query.cursor).where('session_id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
        if (!at) throw errors.invalidInput(`cursor ${JSON.stringify(query.cursor)} is not a message of this session; pass the next_cursor of the previous page`, { cursor: query.cursor });
        select = select.where((eb) => eb(eb.refTuple('created_at', 'id'), order === 'desc' ? '<' : '>', eb.tuple(at.created_at, at.id)));
      }
      const rows = await select.orderBy('created_at', order).orderBy('id', order).limit(limit + 1).execute();
      const page = rows.slice(0, limit).map(toMessage);
      return { messages: page, next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
    },
    /**
     * Messages written (inserted or completed) since a time, in the order written (`updated_at`, then
     * `id`), at most `limit`. A full page means more may follow: ask again with its last message as `after`.
     */
    async changes(userId: string, sessionId: string, query: MessageChangesQuery): Promise<Message[]> {
      const limit = Math.min(Math.max(query.limit ?? 200, 1), maxMessagePage);
      let select = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('user_id', '=', userId).where('updated_at', '>=', query.since);
      if (query.after) {
        const after = query.after;
        select = select.where((eb) => eb(eb.refTuple('updated_at', 'id'), '>', eb.tuple(Date.parse(after.updated_at), after.id)));
      }
      const rows = await select.orderBy('updated_at').orderBy('id').limit(limit).execute();
      return rows.map(toMessage);
    },
    /** Sets the final state of an assistant message. Repeating it writes the same values. */
    async complete(id: string, update: { status: MessageStatus; content: string; data: MessageData }): Promise<void> {
      await db
        .updateTable('messages')
        .set({ status: update.status, content: update.content, data: toJsonColumn(update.data), updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;

import type { Kysely } from 'kysely';
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

export interface DetectedIntentRecord {
  intent: string;
  feature: string;
  confidence: number;
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
          updated_at: message.createdAt,
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
    async list(userId: string, sessionId: string, options: { limit?: number } = {}): Promise<Message[]> {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(options.limit ?? 500)
        .execute();
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

import { fromStoredMessageData, toStoredMessageData, type Message, type MessageStatus, type NewMessage, type Session, type StoredMessageData } from '@darkroom/core';
import type { ObjectId } from 'mongodb';

/**
 * One chat session as stored in the `sessions` collection: seed 000's conversation document (an
 * `ObjectId` `_id`, `session_id`, `user_id`, the `messages` array, `created_at` as a BSON date) with
 * the fields Darkroom adds (`title`, `description`, `latest_asset_id`, `updated_at`). Field names are snake_case as
 * in the seed; times are BSON dates (millisecond precision, so epoch ms round-trip exactly).
 */
export interface SessionDocument {
  _id: ObjectId;
  session_id: string;
  user_id: string;
  title: string | null;
  /** Absent in documents written before sessions had a description: read as null. */
  description?: string | null;
  latest_asset_id: string | null;
  messages: MessageDocument[];
  created_at: Date;
  updated_at: Date;
}

/**
 * One element of a session document's `messages` array: the seed's message (`role`, `content`,
 * `status`, `image_url`, …) with its id and times, and the assistant's data flattened into it in
 * snake_case (`StoredMessageData` of `@darkroom/core`, as the SQL stores keep it). The user is the session's: it is not repeated per message.
 */
export interface MessageDocument extends StoredMessageData {
  message_id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus | null;
  asset_id: string | null;
  job_id: string | null;
  created_at: Date;
  /** When the message was last written (inserted or completed): what change reads order by. */
  updated_at: Date;
}

/** A deleted session in the `sessions_deleted` collection: its id (as `_id`), user and when; nothing it held. */
export interface DeletedSessionDocument {
  _id: string;
  user_id: string;
  deleted_at: Date;
}

export const toSession = (document: Pick<SessionDocument, 'session_id' | 'user_id' | 'title' | 'description' | 'latest_asset_id' | 'created_at' | 'updated_at'>): Session => ({
  id: document.session_id,
  userId: document.user_id,
  title: document.title ?? null,
  description: document.description ?? null,
  latestAssetId: document.latest_asset_id ?? null,
  createdAt: document.created_at.getTime(),
  updatedAt: document.updated_at.getTime(),
});

/** A message read from its session document (the session's ids are given: the element does not hold them). */
export const toMessage = (document: MessageDocument, session: { sessionId: string; userId: string }): Message => ({
  id: document.message_id,
  sessionId: session.sessionId,
  userId: session.userId,
  role: document.role,
  content: document.content,
  status: document.status ?? null,
  assetId: document.asset_id ?? null,
  jobId: document.job_id ?? null,
  data: fromStoredMessageData(document),
  createdAt: document.created_at.getTime(),
  updatedAt: document.updated_at.getTime(),
});

/** The array element for a new message; `writtenAt` becomes its `updated_at`. */
export const toMessageDocument = (message: NewMessage, writtenAt: Date): MessageDocument => ({
  message_id: message.id,
  role: message.role,
  content: message.content,
  status: message.status,
  asset_id: message.assetId ?? null,
  job_id: message.jobId ?? null,
  ...toStoredMessageData(message.data ?? {}),
  created_at: new Date(message.createdAt),
  updated_at: writtenAt,
});

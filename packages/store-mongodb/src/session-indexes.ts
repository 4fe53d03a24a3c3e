import type { Collection, IndexDescription } from 'mongodb';
import type { SessionDocument } from './session-document.js';

/**
 * The indexes of the `sessions` collection, created when the store starts (creating an index that
 * exists with the same keys and options changes nothing).
 *
 * - `session_id_unique`: one document per session id, so two callers creating the same session
 *   race on the index, not on a read.
 * - `user_id_updated_at`: a user's sessions, most recently active first, as `listSessions` pages
 *   them (every read is scoped by user). It replaces `user_id_created_at`, which nothing reads now
 *   (a database created before keeps that one until it is dropped).
 * - `messages_message_id`: finds the session that holds a message (completing a message names only
 *   the message). It is not unique: MongoDB's unique indexes do not look inside one document, and
 *   the wire-compatible test server does not keep a partial unique multikey index correctly; a
 *   message id is kept once per session by the insert's own filter.
 *
 * Paging and change reads order the elements of one session's `messages` array, which no index
 * orders: they run as an aggregation over that one document (found by `session_id_unique`).
 */
export const sessionIndexes: IndexDescription[] = [
  { name: 'session_id_unique', key: { session_id: 1 }, unique: true },
  { name: 'user_id_updated_at', key: { user_id: 1, updated_at: -1, session_id: -1 } },
  { name: 'messages_message_id', key: { 'messages.message_id': 1 } },
];

export async function createSessionIndexes(sessions: Collection<SessionDocument>): Promise<void> {
  await sessions.createIndexes(sessionIndexes);
}

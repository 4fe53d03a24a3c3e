import type { Message } from '@darkroom/core';
import type { Collection, Document } from 'mongodb';
import { toMessage, type MessageDocument, type SessionDocument } from './session-document.js';

type SessionScope = { userId: string; sessionId: string };

/**
 * The messages of one session of one user, as an aggregation over its document: `stages` run on the
 * message elements (fields `message_id`, `created_at`, `updated_at`, …) after they are unwound. Another
 * user's session gives no messages.
 *
 * @example
 * await readSessionMessages(sessions, { userId, sessionId }, [{ $sort: { created_at: -1, message_id: -1 } }, { $limit: 51 }]);
 */
export async function readSessionMessages(sessions: Collection<SessionDocument>, session: SessionScope, stages: Document[]): Promise<Message[]> {
  const elements = await sessions
    .aggregate<MessageDocument>([
      { $match: { session_id: session.sessionId, user_id: session.userId } },
      { $project: { _id: 0, messages: 1 } },
      { $unwind: '$messages' },
      { $replaceRoot: { newRoot: '$messages' } },
      ...stages,
    ])
    .toArray();
  return elements.map((element) => toMessage(element, session));
}

/**
 * One message of one session of one user, or undefined. The projection asks the server for that one
 * element; the element is picked here again, so a server that answers the whole document (the test
 * server ignores projections) gives the same answer.
 */
export async function readSessionMessage(sessions: Collection<SessionDocument>, session: SessionScope, id: string): Promise<Message | undefined> {
  const found = await sessions.findOne(
    { session_id: session.sessionId, user_id: session.userId, 'messages.message_id': id },
    { projection: { _id: 0, messages: { $elemMatch: { message_id: id } } } },
  );
  const element = found?.messages?.find((candidate) => candidate.message_id === id);
  return element && toMessage(element, session);
}

import { errors, type DarkroomError } from '@darkroom/plugin-api';

/**
 * The refusal of `ConversationStore.createSession` given the id of a session deleted before: a
 * session id given to the store comes from an Idempotency-Key (see `ChatService.createSession`), so
 * the key was used and what it created is gone. 409 `conflict` with `details.reason: "deleted"`.
 *
 * @example
 * if (await wasDeleted(userId, id)) throw sessionDeletedError(id);
 */
export function sessionDeletedError(sessionId: string): DarkroomError {
  return errors.deleted(`Session ${JSON.stringify(sessionId)} was created with this Idempotency-Key and has since been deleted; a deleted session is not created again: use a new Idempotency-Key to create a new session`, { session_id: sessionId });
}

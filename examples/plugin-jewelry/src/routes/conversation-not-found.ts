import { DarkroomError, errors } from '@darkroom/plugin-api';

/**
 * Runs a studio call about conversation `id`, answering a missing or deleted session as seed 004
 * names it: a `not_found` error (404) or a `conflict` (409, `details.reason: "deleted"`) about the
 * conversation, not about an engine "Session".
 */
export async function aboutConversation<T>(id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (DarkroomError.isInstance(error) && error.code === 'not_found' && /^Session\b/.test(error.message)) throw errors.notFound('Conversation', id);
    if (DarkroomError.isInstance(error) && error.details?.reason === 'deleted' && /^Session\b/.test(error.message)) {
      throw errors.deleted(`Conversation ${JSON.stringify(id)} has been deleted: nothing can be sent to it; start a new conversation (POST /api/v1/conversations, or /api/v1/chat without conversation_id)`, { conversation_id: id });
    }
    throw error;
  }
}

import { DarkroomError, errors } from '@darkroom/plugin-api';

/**
 * Runs a studio call about conversation `id`, answering a missing session as seed 004 names it: a
 * `not_found` error for the conversation (404), not for an engine "Session".
 */
export async function aboutConversation<T>(id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (DarkroomError.isInstance(error) && error.code === 'not_found' && /^Session\b/.test(error.message)) throw errors.notFound('Conversation', id);
    throw error;
  }
}

import { DarkroomError, defineRoute, definePluginRoute } from '@darkroom/plugin-api';
import { aboutConversation } from './conversation-not-found.js';
import { chatRequest, chatResponse } from './seed-schemas.js';
import { generatedImages, toConversationMessage } from './to-seed-wire.js';

/** How long `POST /api/v1/chat` waits for the turn before answering `timeout` (the turn goes on). */
export const chatWaitMs = 120_000;

export const chatRoute = defineRoute({
  method: 'post', path: '/api/v1/chat', operationId: 'jewelryChat', tag: 'Jewelry designer',
  summary: 'Chat with the jewelry designer',
  description:
    "Seed 004's chat: sends the message to the conversation (a new one when `conversation_id` is left out, titled by the message), waits for the assistant's turn and answers both messages and the images designed, each with its jewellery properties. The assistant designs with the `jewelry-design` feature (and any other feature asked for); follow-ups (\"make it rose gold\") change the last design. A turn that fails answers its assistant message with status FAILED and `metadata.error`. With an Idempotency-Key a repeat answers the same turn.",
  body: chatRequest,
  example: { body: { conversation_id: 'ses_123', message: 'Design a rose gold engagement ring with a princess-cut diamond' } },
  responses: { 200: { description: 'The finished turn', schema: chatResponse } },
});

/** `POST /api/v1/chat`, synchronous as the seed's: send, wait for the turn, answer it. */
export const chatRouteHandler = definePluginRoute(chatRoute, async ({ body, idempotencyKey }, studio) => {
  const keyed = idempotencyKey ? { idempotencyKey } : {};
  // A new conversation is titled by the message's first 80 characters (whole characters, not half an emoji).
  const started = body.conversation_id === undefined ? await studio.sessions.create({ title: Array.from(body.message).slice(0, 80).join(''), ...keyed }) : undefined;
  const conversationId = started?.id ?? body.conversation_id!;
  let turn;
  try {
    turn = await aboutConversation(conversationId, () => studio.sessions.sendAndWait(conversationId, { content: body.message, timeoutMs: chatWaitMs, ...keyed }));
  } catch (error) {
    // The turn goes on after a timeout: say where to find it.
    if (DarkroomError.isInstance(error) && error.code === 'timeout') {
      throw new DarkroomError({ code: 'timeout', retryable: true, message: `The assistant is still working after ${chatWaitMs / 1000} s; read its answer later with GET /api/v1/conversations/${conversationId}`, details: { ...error.details, conversation_id: conversationId } });
    }
    // Refused before it started (rate limit, a message the engine refuses): the conversation this
    // request started goes too, unless an Idempotency-Key will bring the retry back to it.
    if (started && !idempotencyKey) await studio.sessions.delete(started.id).catch(() => undefined);
    throw error;
  }
  return {
    status: 200,
    body: {
      conversation_id: conversationId,
      user_message: toConversationMessage(turn.userMessage),
      assistant_message: toConversationMessage(turn.assistantMessage),
      generated_images: await generatedImages(studio, turn.assistantMessage.data.images ?? []),
    },
  };
});

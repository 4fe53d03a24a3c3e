import { defineRoute, definePluginRoute } from '@darkroom/plugin-api';
import { conversation, conversationChanges, conversationPage, conversationQuery, conversationWithMessages, newConversation } from './seed-schemas.js';
import { aboutConversation } from './conversation-not-found.js';
import { toConversation, toConversationMessage } from './to-seed-wire.js';

const tag = 'Jewelry designer';
/** How many of the latest messages `GET /api/v1/conversations/{id}` carries. */
export const conversationMessagesShown = 100;

export const listConversationsRoute = defineRoute({
  method: 'get', path: '/api/v1/conversations', operationId: 'listConversations', tag,
  summary: 'List conversations',
  description: "The caller's conversations, most recently active first, a page at a time (seed 004's conversation list).",
  query: conversationQuery,
  responses: { 200: { description: 'A page of conversations', schema: conversationPage } },
});

export const createConversationRoute = defineRoute({
  method: 'post', path: '/api/v1/conversations', operationId: 'createConversation', tag,
  summary: 'Start a conversation',
  description: 'A new conversation with an optional title and description. With an Idempotency-Key, a repeat answers the same conversation.',
  body: newConversation,
  example: { body: { title: 'Engagement ring', description: 'Rose gold, one stone' } },
  responses: { 201: { description: 'The conversation', schema: conversation } },
});

export const getConversationRoute = defineRoute({
  method: 'get', path: '/api/v1/conversations/{id}', operationId: 'getConversation', tag,
  summary: 'A conversation with its messages',
  description: `The conversation and its latest ${conversationMessagesShown} messages, oldest first.`,
  responses: { 200: { description: 'The conversation', schema: conversationWithMessages } },
});

export const updateConversationRoute = defineRoute({
  method: 'patch', path: '/api/v1/conversations/{id}', operationId: 'updateConversation', tag,
  summary: 'Rename or describe a conversation',
  description: 'Changes the title, the description or both (null clears one).',
  body: conversationChanges,
  example: { params: { id: 'ses_123' }, body: { title: 'Wedding bands' } },
  responses: { 200: { description: 'The conversation', schema: conversation } },
});

export const deleteConversationRoute = defineRoute({
  method: 'delete', path: '/api/v1/conversations/{id}', operationId: 'deleteConversation', tag,
  summary: 'Delete a conversation',
  description: "Deletes the conversation with all its messages; the images it made leave the gallery into its trash (restorable with POST /v1/gallery/{id}/restore, as seed 004's cascade would have lost them).",
  responses: { 204: { description: 'Deleted' } },
});

/** Seed 004's conversation CRUD over the caller's chat sessions. */
export const conversationRoutes = [
  definePluginRoute(listConversationsRoute, async ({ query }, studio) => {
    const page = await studio.sessions.list({ ...(query.limit !== undefined ? { limit: query.limit } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) });
    return { status: 200, body: { conversations: page.sessions.map(toConversation), next_cursor: page.nextCursor } };
  }),
  definePluginRoute(createConversationRoute, async ({ body, idempotencyKey }, studio) => {
    const session = await studio.sessions.create({ ...body, ...(idempotencyKey ? { idempotencyKey } : {}) });
    return { status: 201, body: toConversation(session) };
  }),
  definePluginRoute(getConversationRoute, ({ params }, studio) =>
    aboutConversation(params.id, async () => {
      const session = await studio.sessions.get(params.id);
      const page = await studio.sessions.messages(session.id, { limit: conversationMessagesShown });
      return { status: 200 as const, body: { ...toConversation(session), messages: page.messages.reverse().map(toConversationMessage), earlier_messages: page.nextCursor !== null } };
    }),
  ),
  definePluginRoute(updateConversationRoute, async ({ params, body }, studio) => {
    const session = await aboutConversation(params.id, () => studio.sessions.update(params.id, body));
    return { status: 200, body: toConversation(session) };
  }),
  definePluginRoute(deleteConversationRoute, async ({ params }, studio) => {
    await aboutConversation(params.id, () => studio.sessions.get(params.id));
    // Its images first: a repeat after a failure in between finds the session still there to delete.
    for (;;) {
      const page = await studio.gallery.list({ sessionId: params.id, limit: 100 });
      for (const item of page.items) await studio.gallery.delete(item.id);
      if (page.items.length === 0 || page.nextCursor === null) break;
    }
    await aboutConversation(params.id, () => studio.sessions.delete(params.id));
    return { status: 204 };
  }),
];

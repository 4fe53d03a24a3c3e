// A third-party plugin that adds HTTP routes, for the server's tests: written against
// @darkroom/plugin-api alone, as a published plugin would be (seed 004's conversations and chat).
// Loaded as an object by the in-process tests and by absolute path (DARKROOM_PLUGINS) by the CLI's.
import { definePlugin, definePluginRoute, defineRoute, z, type StudioMessage, type StudioSession } from '@darkroom/plugin-api';

const conversation = z.object({ id: z.string(), title: z.string().nullable(), description: z.string().nullable(), created_at: z.string(), updated_at: z.string() });
const message = z.object({ id: z.string(), role: z.enum(['user', 'assistant']), content: z.string(), status: z.string().nullable(), images: z.array(z.object({ id: z.string(), url: z.string() })) });
const idParam = { example: { params: { id: 'ses_0mk1x2c9a0000a1s2d3f4g5h6j7k' } } } as const;

const toConversation = (session: StudioSession) => ({
  id: session.id,
  title: session.title,
  description: session.description,
  created_at: new Date(session.createdAt).toISOString(),
  updated_at: new Date(session.updatedAt).toISOString(),
});
const toMessage = (sent: StudioMessage) => ({ id: sent.id, role: sent.role, content: sent.content, status: sent.status, images: (sent.data.images ?? []).map((image) => ({ id: image.galleryId, url: image.url })) });

export const listConversations = defineRoute({
  method: 'get',
  path: '/api/v1/conversations',
  operationId: 'listConversations',
  summary: 'Your conversations',
  description: 'The caller\'s conversations, most recently active first.',
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().optional() }).strict(),
  responses: { 200: { description: 'A page of conversations', schema: z.object({ conversations: z.array(conversation), next_cursor: z.string().nullable() }) } },
});

export const createConversation = defineRoute({
  method: 'post',
  path: '/api/v1/conversations',
  operationId: 'createConversation',
  summary: 'Start a conversation',
  description: 'A new conversation; the same Idempotency-Key answers the same one.',
  body: z.object({ title: z.string().min(1).max(200), description: z.string().max(2000).optional() }).strict(),
  responses: { 201: { description: 'The conversation', schema: conversation } },
});

export const getConversation = defineRoute({
  method: 'get',
  path: '/api/v1/conversations/{id}',
  operationId: 'getConversation',
  summary: 'A conversation',
  description: 'One of the caller\'s conversations.',
  ...idParam,
  responses: { 200: { description: 'The conversation', schema: conversation } },
});

export const updateConversation = defineRoute({
  method: 'patch',
  path: '/api/v1/conversations/{id}',
  operationId: 'updateConversation',
  summary: 'Rename or describe a conversation',
  description: 'Changes the fields given.',
  ...idParam,
  body: z.object({ title: z.string().min(1).max(200).nullable().optional(), description: z.string().max(2000).nullable().optional() }).strict(),
  responses: { 200: { description: 'The conversation', schema: conversation } },
});

export const deleteConversation = defineRoute({
  method: 'delete',
  path: '/api/v1/conversations/{id}',
  operationId: 'deleteConversation',
  summary: 'Delete a conversation',
  description: 'Deletes it and its messages.',
  ...idParam,
  responses: { 204: { description: 'Deleted' } },
});

export const chat = defineRoute({
  method: 'post',
  path: '/api/v1/chat',
  operationId: 'jewelryChat',
  summary: 'Send a message and wait for the answer',
  description: 'One chat turn, answered when it has finished.',
  tag: 'Jewelry chat',
  body: z.object({ conversation_id: z.string(), message: z.string().min(1) }).strict(),
  responses: { 200: { description: 'The turn', schema: z.object({ user_message: message, assistant_message: message }) } },
});

export const generate2d = defineRoute({
  method: 'post',
  path: '/api/v1/generate/2d',
  operationId: 'generate2d',
  summary: 'Generate designs',
  description: 'Runs the generate feature and answers its images.',
  body: z.object({ prompt: z.string().min(1), num_images: z.number().int().min(1).max(4).default(1) }).strict(),
  responses: { 200: { description: 'The images', schema: z.object({ success: z.literal(true), images: z.array(z.object({ id: z.string(), url: z.string(), width: z.number() })) }) } },
});

/** A route whose handler answers a body its schema refuses (the server must not send it). */
export const brokenAnswer = defineRoute({
  method: 'get',
  path: '/api/v1/broken',
  operationId: 'brokenAnswer',
  summary: 'Answers what it does not document',
  description: 'For tests.',
  responses: { 200: { description: 'Never sent', schema: z.object({ ok: z.boolean() }) } },
});

export default definePlugin({
  name: 'route-test-plugin',
  routes: [
    definePluginRoute(listConversations, async ({ query }, studio) => {
      const page = await studio.sessions.list({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      return { status: 200, body: { conversations: page.sessions.map(toConversation), next_cursor: page.nextCursor } };
    }),
    definePluginRoute(createConversation, async ({ body, idempotencyKey }, studio) => {
      const session = await studio.sessions.create({ title: body.title, ...(body.description !== undefined ? { description: body.description } : {}), ...(idempotencyKey ? { idempotencyKey } : {}) });
      return { status: 201, body: toConversation(session) };
    }),
    definePluginRoute(getConversation, async ({ params }, studio) => ({ status: 200, body: toConversation(await studio.sessions.get(params.id)) })),
    definePluginRoute(updateConversation, async ({ params, body }, studio) => ({ status: 200, body: toConversation(await studio.sessions.update(params.id, body)) })),
    definePluginRoute(deleteConversation, async ({ params }, studio) => {
      await studio.sessions.delete(params.id);
      return { status: 204 };
    }),
    definePluginRoute(chat, async ({ body, idempotencyKey }, studio) => {
      const turn = await studio.sessions.sendAndWait(body.conversation_id, { content: body.message, ...(idempotencyKey ? { idempotencyKey } : {}) });
      return { status: 200, body: { user_message: toMessage(turn.userMessage), assistant_message: toMessage(turn.assistantMessage) } };
    }),
    definePluginRoute(generate2d, async ({ body, idempotencyKey }, studio) => {
      const result = await studio.features.run('generate', { prompt: body.prompt, num_images: body.num_images, width: 64, height: 64 }, idempotencyKey ? { idempotencyKey } : {});
      return { status: 200, body: { success: true, images: result.images.map((image) => ({ id: image.galleryId, url: image.url, width: image.width })) } };
    }),
    definePluginRoute(brokenAnswer, () => ({ status: 200, body: { secret: 'the database password is hunter2' } as never })),
  ],
});

import type { z } from 'zod';
import { EventJournal } from '../events/event-journal.js';
import { sessionEventSource } from '../events/session-event-source.js';
import { streamEvents } from '../events/stream-events.js';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { resolveImageUrls } from '../safety/resolve-image-urls.js';
import { history, historyQuery, message, newSession, sendMessage, sentMessage, session } from '../schemas/chat-schemas.js';
import type { ServerServices } from '../server-services.js';
import { parseWebhookUrl } from '../webhooks/webhook-sender.js';
import { toWireMessage, toWireMessagePage, toWireSentMessage, toWireSession } from '../wire/index.js';

const base = '/api/v1/chat/sessions';

/** Seed 000's chat flow: sessions, messages (202 + poll or stream). */
export function chatRoutes(routes: ApiRoutes, services: ServerServices): void {
  routes.add(
    {
      method: 'post', path: base, operationId: 'createSession', summary: 'Creates a chat session', tag: 'Chat', body: newSession,
      description: 'With an Idempotency-Key, a repeat answers the same session (a different title with the same key is a 422).',
      responses: { 201: { description: 'The session', schema: session } },
    },
    async (c, { body }) => {
      const key = c.req.header('idempotency-key');
      const created = await c.get('engine').chat.createSession(c.get('userId'), { title: (body.title as string | null | undefined) ?? null, ...(key ? { idempotencyKey: key } : {}) });
      return { status: 201, body: toWireSession(created) };
    },
  );
  routes.add(
    { method: 'get', path: `${base}/:id`, operationId: 'getSession', summary: 'A chat session', tag: 'Chat', responses: { 200: { description: 'The session', schema: session } } },
    async (c) => {
      const found = await c.get('engine').chat.getSession(c.get('userId'), c.req.param('id')!);
      return { status: 200, body: toWireSession(found) };
    },
  );
  routes.add(
    { method: 'delete', path: `${base}/:id`, operationId: 'deleteSession', summary: 'Deletes a chat session and its messages', tag: 'Chat', responses: { 204: { description: 'Deleted' } } },
    async (c) => {
      await c.get('engine').chat.deleteSession(c.get('userId'), c.req.param('id')!);
      return { status: 204 };
    },
  );
  routes.add(
    {
      method: 'post', path: `${base}/:id/messages`, operationId: 'sendMessage', tag: 'Chat', body: sendMessage, multipart: true,
      summary: 'Sends a message; the assistant works on it in the background (202, then poll the message or stream the session)',
      responses: { 202: { description: 'Accepted: the assistant message is PROCESSING', schema: sentMessage } },
    },
    async (c, { body }) => {
      const engine = c.get('engine');
      const userId = c.get('userId');
      // Uploaded bytes go to the engine as they are: it stores them once the session, the message and its key are checked.
      const { webhook_url: rawWebhook, ...rest } = await resolveImageUrls(body, services.imageUrls);
      const webhook = await parseWebhookUrl(rawWebhook, services.webhooks);
      const key = c.req.header('idempotency-key');
      const sent = await engine.chat.send({
        userId,
        sessionId: c.req.param('id')!,
        content: rest.content as string,
        ...(rest.image !== undefined ? { image: rest.image as never } : {}),
        ...(rest.mask !== undefined ? { mask: rest.mask as never } : {}),
        ...(key ? { idempotencyKey: key } : {}),
      });
      if (webhook) await services.webhooks!.register(sent.jobId, userId, webhook);
      return { status: 202, headers: { Location: `${services.basePath}${base}/${c.req.param('id')}/messages/${sent.messageId}` }, body: toWireSentMessage(sent) };
    },
  );
  routes.add(
    {
      method: 'get', path: `${base}/:id/messages`, operationId: 'listMessages', tag: 'Chat', query: historyQuery,
      summary: 'The conversation, a page at a time: newest first by default, with cursor pagination',
      description: 'The first page holds the newest messages; follow `next_cursor` to walk back in time. With `order=asc` the pages run from the oldest message; a message id as `cursor` with `order=asc` answers what came after it.',
      responses: { 200: { description: 'A page of messages', schema: history } },
    },
    async (c, { query }) => {
      const { limit, order, cursor } = query as z.infer<typeof historyQuery>;
      const id = c.req.param('id')!;
      const page = await c.get('engine').chat.history(c.get('userId'), id, { ...(limit !== undefined ? { limit } : {}), ...(order ? { order } : {}), ...(cursor ? { cursor } : {}) });
      return { status: 200, body: toWireMessagePage(id, page, services.basePath) };
    },
  );
  routes.add(
    { method: 'get', path: `${base}/:id/messages/:messageId`, operationId: 'getMessage', summary: 'One message: poll its status (PROCESSING, DONE, FAILED) and image_url', tag: 'Chat', responses: { 200: { description: 'The message', schema: message } } },
    async (c) => {
      const found = await c.get('engine').chat.message(c.get('userId'), c.req.param('id')!, c.req.param('messageId')!);
      return { status: 200, body: { message_id: found.id, ...toWireMessage(found, services.basePath) } };
    },
  );
  routes.add(
    {
      method: 'get', path: `${base}/:id/events`, operationId: 'streamSessionEvents', tag: 'Chat',
      summary: 'Server-Sent Events of a session: message status changes and the progress of their jobs; resumable with Last-Event-ID',
      description: 'Events: `snapshot` (`{session_id, messages, next_cursor}`: the newest 20 messages, newest first, as the first page of the message list), `message.updated` ({session_id, message_id, job_id, status}), and the turn jobs\' `job.*` / `step.*` events. The stream stays open; a heartbeat comment is sent every 15 s.',
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
    },
    async (c) => {
      const engine = c.get('engine');
      const userId = c.get('userId');
      const id = c.req.param('id')!;
      await engine.chat.getSession(userId, id);
      return streamEvents(c, {
        journal: services.journal,
        openStreams: services.openStreams,
        key: EventJournal.session(id),
        heartbeatMs: services.heartbeatMs,
        pollMs: services.eventPollMs,
        ...sessionEventSource(engine, userId, id, services.basePath),
      });
    },
  );
}

import { apiRoutes, type historyQuery, type newSession, type sessionChanges, type sessionQuery } from '@darkroom/api';
import { imageFieldsOf } from '@darkroom/core';
import type { z } from 'zod';
import { EventJournal } from '../events/event-journal.js';
import { sessionEventSource } from '../events/session-event-source.js';
import { streamEvents } from '../events/stream-events.js';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { resolveImageUrls } from '../safety/resolve-image-urls.js';
import type { ServerServices } from '../server-services.js';
import { parseWebhookUrl } from '../webhooks/webhook-sender.js';
import { toWireMessage, toWireMessagePage, toWireSentMessage, toWireSession } from '../wire/index.js';

const base = '/api/v1/chat/sessions';

/** The chat flow: sessions (list, create, read, rename or describe, delete), messages (202 + poll or stream). */
export function chatRoutes(routes: ApiRoutes, services: ServerServices): void {
  routes.add(
    apiRoutes.listSessions,
    async (c, { query }) => {
      const { limit, cursor } = query as z.infer<typeof sessionQuery>;
      const page = await c.get('engine').chat.listSessions(c.get('userId'), { ...(limit !== undefined ? { limit } : {}), ...(cursor ? { cursor } : {}) });
      return { status: 200, body: { sessions: page.sessions.map(toWireSession), next_cursor: page.nextCursor } };
    },
  );
  routes.add(
    apiRoutes.createSession,
    async (c, { body }) => {
      const { title, description } = body as z.infer<typeof newSession>;
      const key = c.req.header('idempotency-key');
      const created = await c.get('engine').chat.createSession(c.get('userId'), { title: title ?? null, description: description ?? null, ...(key ? { idempotencyKey: key } : {}) });
      return { status: 201, body: toWireSession(created) };
    },
  );
  routes.add(
    apiRoutes.getSession,
    async (c) => {
      const found = await c.get('engine').chat.getSession(c.get('userId'), c.req.param('id')!);
      return { status: 200, body: toWireSession(found) };
    },
  );
  routes.add(
    apiRoutes.updateSession,
    async (c, { body }) => {
      const { title, description } = body as z.infer<typeof sessionChanges>;
      const updated = await c.get('engine').chat.updateSession(c.get('userId'), c.req.param('id')!, { ...(title !== undefined ? { title } : {}), ...(description !== undefined ? { description } : {}) });
      return { status: 200, body: toWireSession(updated) };
    },
  );
  routes.add(
    apiRoutes.deleteSession,
    async (c) => {
      await c.get('engine').chat.deleteSession(c.get('userId'), c.req.param('id')!);
      return { status: 204 };
    },
  );
  routes.add(
    apiRoutes.sendMessage,
    async (c, { body }) => {
      const engine = c.get('engine');
      const userId = c.get('userId');
      // Uploaded bytes go to the engine as they are: it stores them once the session, the message and its key are checked.
      const { webhook_url: rawWebhook, ...rest } = await resolveImageUrls(body, { fields: imageFieldsOf(apiRoutes.sendMessage.body), policy: services.imageUrls });
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
    apiRoutes.listMessages,
    async (c, { query }) => {
      const { limit, order, cursor } = query as z.infer<typeof historyQuery>;
      const id = c.req.param('id')!;
      const page = await c.get('engine').chat.history(c.get('userId'), id, { ...(limit !== undefined ? { limit } : {}), ...(order ? { order } : {}), ...(cursor ? { cursor } : {}) });
      return { status: 200, body: toWireMessagePage(id, page, services.basePath) };
    },
  );
  routes.add(
    apiRoutes.getMessage,
    async (c) => {
      const found = await c.get('engine').chat.message(c.get('userId'), c.req.param('id')!, c.req.param('messageId')!);
      return { status: 200, body: { message_id: found.id, ...toWireMessage(found, services.basePath) } };
    },
  );
  routes.add(
    apiRoutes.streamSessionEvents,
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

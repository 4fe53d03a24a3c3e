import { DarkroomError } from '@darkroom/core';
import { Hono } from 'hono';
import { readRequestBody } from '../read-request-body.js';
import type { ServerEnv } from '../server-env.js';

/** The chat flow of seed 000: sessions, messages (202 + poll). */
export function chatRoutes() {
  const app = new Hono<ServerEnv>({ strict: false });

  app.post('/sessions', async (c) => {
    const body = await readRequestBody(c);
    const session = await c.get('engine').chat.createSession(c.get('userId'), { title: (body.title as string | undefined) ?? null });
    return c.json({ session_id: session.id, ...session }, 201);
  });

  app.get('/sessions/:id', async (c) => {
    const session = await c.get('engine').chat.getSession(c.get('userId'), c.req.param('id'));
    return c.json({ session_id: session.id, ...session });
  });

  app.delete('/sessions/:id', async (c) => {
    await c.get('engine').chat.deleteSession(c.get('userId'), c.req.param('id'));
    return c.body(null, 204);
  });

  app.post('/sessions/:id/messages', async (c) => {
    const body = await readRequestBody(c);
    if (body.content !== undefined && typeof body.content !== 'string') {
      throw new DarkroomError({ code: 'invalid_input', message: 'content must be a string' });
    }
    const sent = await c.get('engine').chat.send({
      userId: c.get('userId'),
      sessionId: c.req.param('id'),
      content: (body.content as string | undefined) ?? '',
      ...(body.image !== undefined ? { image: body.image as never } : {}),
      ...(body.mask !== undefined ? { mask: body.mask as never } : {}),
      ...(c.req.header('idempotency-key') ? { idempotencyKey: c.req.header('idempotency-key')! } : {}),
    });
    return c.json(sent, 202);
  });

  app.get('/sessions/:id/messages', async (c) => {
    const messages = await c.get('engine').chat.history(c.get('userId'), c.req.param('id'));
    return c.json({ session_id: c.req.param('id'), messages });
  });

  app.get('/sessions/:id/messages/:messageId', async (c) => {
    const message = await c.get('engine').chat.message(c.get('userId'), c.req.param('id'), c.req.param('messageId'));
    return c.json({ message_id: message.id, ...message });
  });

  return app;
}

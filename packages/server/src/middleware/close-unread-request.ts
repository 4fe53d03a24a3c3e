import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';

/**
 * Marks `Connection: close` on any response sent before its request body has fully arrived (an
 * upload refused for its size, type, key or shape), so no keep-alive client sends its next request on
 * a socket that still carries the rest of this body and is about to be closed. Runs outermost, so it
 * also sees responses of the error handler and of `bodyLimit`. Only on a node listener (`c.env.incoming`).
 */
export function closeUnreadRequest(): MiddlewareHandler {
  return async function closeUnread(c, next) {
    await next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming && !incoming.complete) c.res.headers.set('connection', 'close');
  };
}

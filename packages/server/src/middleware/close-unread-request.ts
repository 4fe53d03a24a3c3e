import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';

/** How much of a refused request's unread body is read (and discarded) before answering, at most. */
export const unreadBodyDrain = { maxBytes: 64 * 1024 * 1024, maxMs: 5_000 } as const;

/**
 * Reads and discards the rest of a request body through its web stream (the node adapter's own
 * reader, so its backpressure is honoured) until it ends, `maxBytes` more arrived or `maxMs` passed.
 */
async function drain(body: ReadableStream<Uint8Array>, limits: { maxBytes: number; maxMs: number }): Promise<void> {
  const reader = body.getReader();
  const deadline = setTimeout(() => void reader.cancel().catch(() => undefined), limits.maxMs);
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > limits.maxBytes) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away or the deadline cancelled the read: nothing left to drain.
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * For a response decided before its request body has fully arrived (an upload refused for its size,
 * type, key or shape): first reads and discards the rest of the body, within {@link unreadBodyDrain},
 * so the client, still sending, gets to read the answer instead of a reset socket (EPIPE); then, if
 * the body did not end within that bound or could not be read, marks `Connection: close` so no
 * keep-alive client sends its next request on a socket that still carries this body. Runs outermost,
 * so it also sees responses of the error handler and of `bodyLimit`. Only on a node listener
 * (`c.env.incoming`).
 */
export function closeUnreadRequest(limits: { maxBytes: number; maxMs: number } = unreadBodyDrain): MiddlewareHandler {
  return async function closeUnread(c, next) {
    await next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || incoming.complete) return;
    const body = c.req.raw.body;
    if (body && !body.locked) await drain(body, limits);
    if (!incoming.complete) c.res.headers.set('connection', 'close');
  };
}

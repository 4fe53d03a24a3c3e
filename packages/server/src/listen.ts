import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/** The listener's socket timeouts, in milliseconds. */
export interface ListenerTimeouts {
  /** An idle keep-alive connection is closed after this long without a request. */
  keepAliveTimeoutMs: number;
  /** A request's headers must all arrive within this long of its first byte (slow-header clients get 408). */
  headersTimeoutMs: number;
  /** A whole request, body included, must arrive within this long (slow-body clients get 408). */
  requestTimeoutMs: number;
}

/**
 * The default timeouts. Idle keep-alive sockets stay open well past the usual client and
 * load-balancer idle times (60 s), so a client never reuses one the server is closing at that very
 * moment (node's 5 s default raced clients: EPIPE / "other side closed"); the headers timer only
 * starts when a request does, so it can be short: headers within 15 s; a whole request (a 50 MB
 * upload at about 3.5 Mbit/s) within 2 minutes. A client sending a byte a second is cut off by these.
 */
export const listenerTimeouts: ListenerTimeouts = { keepAliveTimeoutMs: 65_000, headersTimeoutMs: 15_000, requestTimeoutMs: 120_000 };

/**
 * Serves a fetch handler (the Hono app's `fetch`) over HTTP/1.1 with {@link listenerTimeouts} (or the
 * ones given): the one way the CLI and the tests start a listener. `onListening` gets the bound port
 * (pass port 0 for any).
 *
 * @example
 * const listener = listen(server.app.fetch, { port: 8080, hostname: '127.0.0.1' });
 */
export function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  options: { port: number; hostname: string; timeouts?: Partial<ListenerTimeouts> },
  onListening?: (info: { port: number }) => void,
): Server {
  const timeouts = { ...listenerTimeouts, ...options.timeouts };
  const serverOptions = {
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // How often node checks the header and request deadlines (its default, 30 s, would let them overrun).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, timeouts.headersTimeoutMs / 4)),
  };
  return serve({ fetch, port: options.port, hostname: options.hostname, serverOptions }, onListening) as Server;
}

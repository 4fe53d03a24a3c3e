import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/**
 * Socket timeouts of the listener. Idle keep-alive sockets stay open well past the usual client and
 * load-balancer idle times (60 s), so a client never reuses one the server is closing at that very
 * moment (node's 5 s default raced clients: EPIPE / "other side closed"); headers must arrive
 * within 66 s, a whole request (a 50 MB upload on a slow link) within 5 minutes.
 */
export const listenerTimeouts = { keepAliveTimeoutMs: 65_000, headersTimeoutMs: 66_000, requestTimeoutMs: 300_000 } as const;

/**
 * Serves a fetch handler (the Hono app's `fetch`) over HTTP/1.1 with {@link listenerTimeouts}: the one
 * way the CLI and the tests start a listener. `onListening` gets the bound port (pass port 0 for any).
 *
 * @example
 * const listener = listen(server.app.fetch, { port: 8080, hostname: '127.0.0.1' });
 */
export function listen(fetch: Parameters<typeof serve>[0]['fetch'], options: { port: number; hostname: string }, onListening?: (info: { port: number }) => void): Server {
  const serverOptions = { keepAliveTimeout: listenerTimeouts.keepAliveTimeoutMs, headersTimeout: listenerTimeouts.headersTimeoutMs, requestTimeout: listenerTimeouts.requestTimeoutMs };
  return serve({ fetch, port: options.port, hostname: options.hostname, serverOptions }, onListening) as Server;
}

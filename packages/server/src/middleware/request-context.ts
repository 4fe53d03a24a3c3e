import { randomUUID } from 'node:crypto';
import type { Engine } from '@darkroom/core';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { ServerEnv } from '../server-env.js';

export type LogEntry = Record<string, unknown>;
export type Logger = (entry: LogEntry) => void;

/** One JSON line per entry on stdout (12-factor: the platform collects it). */
export const jsonLogger: Logger = (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

/**
 * Puts the engine and a request id on every request, and after it logs one structured line (method,
 * route pattern, status, duration, user: never keys, bodies or image bytes) and counts it in metrics.
 */
export function requestContext(options: { engine: Engine; log?: Logger; metrics?: ServerMetrics }): MiddlewareHandler<ServerEnv> {
  return async function setRequestContext(c, next) {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('engine', options.engine);
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const matched = routePath(c, -1);
    const route = matched === '*' || matched === '/*' ? 'unmatched' : matched;
    options.metrics?.observeRequest(c.req.method, route, c.res.status, seconds);
    options.log?.({ level: c.res.status >= 500 ? 'error' : 'info', message: 'request', request_id: requestId, method: c.req.method, route, status: c.res.status, duration_ms: Math.round(seconds * 10_000) / 10, user: c.get('userId') ?? null });
  };
}

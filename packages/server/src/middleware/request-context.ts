import { randomUUID } from 'node:crypto';
import type { Engine } from '@darkroom/core';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../server-env.js';

/** Puts the engine, the caller's user id and a request id on every request. */
export function requestContext(options: { engine: Engine; userId: string }): MiddlewareHandler<ServerEnv> {
  return async function setRequestContext(c, next) {
    const requestId = randomUUID();
    c.set('engine', options.engine);
    c.set('userId', options.userId);
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
  };
}

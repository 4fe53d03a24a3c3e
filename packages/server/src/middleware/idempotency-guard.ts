import { DarkroomError } from '@darkroom/core';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../server-env.js';

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * Checks `Idempotency-Key` on POSTs and refuses a second request with a key whose first request is
 * still being answered (409, as the IETF Idempotency-Key draft says). Replays of finished requests
 * are answered by the engine from its durable idempotency records.
 */
export function idempotencyGuard(): MiddlewareHandler<ServerEnv> {
  const inFlight = new Set<string>();
  return async function guardIdempotency(c, next) {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!keyPattern.test(key)) throw new DarkroomError({ code: 'invalid_input', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)' });
    const lock = `${c.get('userId')}\n${c.req.path}\n${key}`;
    if (inFlight.has(lock)) {
      c.header('Retry-After', '1');
      throw new DarkroomError({ code: 'conflict', message: 'A request with this Idempotency-Key is still being processed; retry when it has finished', details: { reason: 'idempotency_in_flight' } });
    }
    inFlight.add(lock);
    try {
      await next();
    } finally {
      inFlight.delete(lock);
    }
  };
}

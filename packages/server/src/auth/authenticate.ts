import { createHash } from 'node:crypto';
import { DarkroomError } from '@darkroom/core';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../server-env.js';
import type { ApiKeyVerifier } from './api-keys.js';

/** Paths anyone may call: liveness, readiness, metrics and the API description. */
export const publicPaths = /^\/(health|ready|metrics|openapi\.json|docs)(\/.*)?$/;

function presentedKey(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  if (apiKey !== undefined) return apiKey.trim();
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new DarkroomError({ code: 'unauthorized', message: 'Send the API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"' });
  return match[1];
}

/**
 * Finds the caller's user from `Authorization: Bearer <key>` or `X-API-Key`. Without a verifier the
 * server is in single-user development mode and every request belongs to `devUserId`.
 */
export function authenticate(options: { verifier?: ApiKeyVerifier; devUserId: string }): MiddlewareHandler<ServerEnv> {
  return async function authenticateRequest(c, next) {
    if (!options.verifier) {
      c.set('userId', options.devUserId);
      c.set('keyId', 'dev');
      return next();
    }
    if (publicPaths.test(c.req.path)) return next();
    const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
    const userId = key ? options.verifier.verify(key) : undefined;
    if (!key || !userId) {
      c.header('WWW-Authenticate', 'Bearer realm="darkroom"');
      throw new DarkroomError({ code: 'unauthorized', message: key ? 'The API key is not valid' : 'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"' });
    }
    c.set('userId', userId);
    c.set('keyId', createHash('sha256').update(key).digest('hex').slice(0, 16));
    return next();
  };
}

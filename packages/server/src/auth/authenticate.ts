import { createHash } from 'node:crypto';
import { DarkroomError } from '@darkroom/core';
import type { MiddlewareHandler } from 'hono';
import { serverPath } from '../middleware/server-path.js';
import type { ServerEnv } from '../server-env.js';
import type { ApiKeyVerifier } from './api-keys.js';
import type { AssetUrlSigner } from './asset-url-signer.js';

/**
 * The one API key a request presents, from `Authorization: Bearer` and/or `X-API-Key`. Two headers
 * that carry different keys are refused (401), never resolved in favour of either.
 */
function presentedKey(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new DarkroomError({ code: 'unauthorized', message: 'Send the API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"' });
    bearer = match[1];
  }
  const header = apiKey?.trim();
  if (bearer !== undefined && header !== undefined && bearer !== header) {
    throw new DarkroomError({ code: 'unauthorized', message: 'Authorization and X-API-Key carry different keys: send one API key, in one of the two headers' });
  }
  return bearer ?? header;
}

/**
 * Finds the caller's user from `Authorization: Bearer <key>` or `X-API-Key`, or, for one stored image,
 * from a signed URL's token. Without a verifier the server is in single-user development mode and
 * every request belongs to `devUserId`. Paths are judged as the server names them, without the
 * prefix a host app mounted it under (see serverPath).
 */
export function authenticate(options: { verifier?: ApiKeyVerifier; devUserId: string; assetUrls?: AssetUrlSigner; isPublic: (path: string) => boolean }): MiddlewareHandler<ServerEnv> {
  return async function authenticateRequest(c, next) {
    if (!options.verifier) {
      c.set('userId', options.devUserId);
      c.set('keyId', 'dev');
      return next();
    }
    const path = serverPath(c);
    if (options.isPublic(path)) return next();
    const signed = c.req.method === 'GET' && c.req.query('token') !== undefined ? /^\/v1\/assets\/([^/]+)\/?$/.exec(path) : null;
    if (signed && options.assetUrls) {
      let assetId: string;
      try {
        assetId = decodeURIComponent(signed[1]!);
      } catch {
        throw new DarkroomError({ code: 'invalid_input', message: 'The image URL has a malformed %-escape in its asset id; use the signed URL exactly as the API gave it' });
      }
      const owner = options.assetUrls.verify(assetId, c.req.query('token')!);
      if (!owner) throw new DarkroomError({ code: 'unauthorized', message: 'The signed image URL is invalid or has expired; ask for a new one' });
      c.set('userId', owner);
      c.set('keyId', `signed:${owner}`);
      return next();
    }
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

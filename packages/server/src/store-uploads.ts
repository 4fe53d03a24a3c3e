import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { imageFields, type resolveImageUrls } from './safety/resolve-image-urls.js';
import type { ServerEnv } from './server-env.js';

/**
 * Stores each image given as bytes among a validated body's image fields (`image`, `mask`: a
 * multipart file, or an image URL {@link resolveImageUrls} fetched, is a `Uint8Array`) through the
 * engine's asset API, as it is (no base64), and puts `{ asset_id }` in its place; other values are
 * left as they are.
 *
 * With the request's `Idempotency-Key`, the asset's effect key is
 * `upload:<user>:<operation>:<key>:<field>:<sha256 of the bytes>`: a retried request with the same
 * file maps to the first asset and stores nothing more, while the same key with another file names
 * another asset (so the operation's own idempotency check sees a different request).
 *
 * For routes whose service takes only stored images (gallery, chat). Call it once the body is valid;
 * feature routes need not: `engine.submit` takes bytes itself and stores them after validating.
 *
 * @param operation what the request does, scoping its key (`gallery`, `chat:<session id>`).
 * @throws DarkroomError `invalid_image` (400) for bytes that are not a supported image,
 * `payload_too_large` (413) beyond the pixel limit, as the engine's `assets.upload` does.
 */
export async function storeUploads(c: Context<ServerEnv>, body: Record<string, unknown>, operation: string): Promise<Record<string, unknown>> {
  const uploads = imageFields.filter((field) => body[field] instanceof Uint8Array);
  if (uploads.length === 0) return body;
  const engine = c.get('engine');
  const userId = c.get('userId');
  const key = c.req.header('idempotency-key');
  const stored = { ...body };
  for (const field of uploads) {
    const bytes = body[field] as Uint8Array;
    const effectKey = key ? `upload:${userId}:${operation}:${key}:${field}:${createHash('sha256').update(bytes).digest('hex')}` : undefined;
    stored[field] = { asset_id: (await engine.assets.upload(userId, bytes, effectKey ? { effectKey } : {})).id };
  }
  return stored;
}

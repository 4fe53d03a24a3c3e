import { Hono } from 'hono';
import type { ServerEnv } from '../server-env.js';

/** Serves stored images to their owner. */
export function assetRoutes() {
  const app = new Hono<ServerEnv>({ strict: false });
  app.get('/:id', async (c) => {
    const { asset, bytes } = await c.get('engine').assets.read(c.get('userId'), c.req.param('id'));
    const etag = `"${asset.sha256}"`;
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': asset.mime_type,
      'Content-Length': String(bytes.byteLength),
      'Cache-Control': 'private, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return app;
}

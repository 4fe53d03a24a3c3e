import type { ApiRoutes } from '../openapi/api-routes.js';

/** Serves stored images to their owner (ids are unguessable; another user gets 404). */
export function assetRoutes(routes: ApiRoutes): void {
  routes.add(
    {
      method: 'get', path: '/v1/assets/:id', operationId: 'getAsset', summary: 'The bytes of a stored image (ETag / If-None-Match supported)', tag: 'Images',
      responses: { 200: { description: 'The image', contentType: 'image/*' }, 304: { description: 'Not modified' } },
    },
    async (c) => {
      const { asset, bytes } = await c.get('engine').assets.read(c.get('userId'), c.req.param('id')!);
      const etag = `"${asset.sha256}"`;
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': asset.mime_type,
        'Content-Length': String(bytes.byteLength),
        'Cache-Control': 'private, max-age=31536000, immutable',
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
      });
    },
  );
}

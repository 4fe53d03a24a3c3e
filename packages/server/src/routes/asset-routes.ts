import { z } from 'zod';
import type { AssetUrlSigner } from '../auth/asset-url-signer.js';
import type { ApiRoutes } from '../openapi/api-routes.js';

const signRequest = z.object({ expires_in: z.number().int().min(60).max(7 * 24 * 3600).default(3600).describe('Seconds the URL stays valid (60 s to 7 days)') }).strict();
const signedUrl = z.object({ url: z.string(), expires_at: z.string() }).meta({ id: 'SignedUrl' });

/**
 * Serves stored images to their owner (ids are unguessable; another user gets 404), and hands out
 * signed, expiring URLs for places that cannot send a key (written under the server's `basePath`).
 */
export function assetRoutes(routes: ApiRoutes, signer: AssetUrlSigner, basePath: string): void {
  routes.add(
    {
      method: 'get', path: '/v1/assets/:id', operationId: 'getAsset', summary: 'The bytes of a stored image (ETag / If-None-Match supported); with a signed URL\'s `token`, no API key is needed', tag: 'Images',
      query: z.object({ token: z.string().max(4000).optional().describe('From POST /v1/assets/{id}/signed-url') }),
      responses: { 200: { description: 'The image', contentType: 'image/*' }, 304: { description: 'Not modified' } },
    },
    async (c) => {
      const shared = c.get('keyId')?.startsWith('signed:') ?? false;
      const { asset, bytes } = await c.get('engine').assets.read(c.get('userId'), c.req.param('id')!, { shared });
      const etag = `"${asset.sha256}"`;
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': asset.mimeType,
        'Content-Length': String(bytes.byteLength),
        'Cache-Control': 'private, max-age=31536000, immutable',
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
      });
    },
  );
  routes.add(
    {
      method: 'post', path: '/v1/assets/:id/signed-url', operationId: 'signAssetUrl', tag: 'Images', body: signRequest,
      summary: 'A signed, expiring URL of a stored image, usable without an API key (e.g. in an <img> tag)',
      responses: { 201: { description: 'The URL', schema: signedUrl } },
    },
    async (c, { body }) => {
      const asset = await c.get('engine').assets.get(c.get('userId'), c.req.param('id')!);
      const expiresAt = Date.now() + (body.expires_in as number) * 1000;
      return { status: 201, body: { url: `${basePath}/v1/assets/${asset.id}?token=${signer.sign(asset.id, c.get('userId'), expiresAt)}`, expires_at: new Date(expiresAt).toISOString() } };
    },
  );
}

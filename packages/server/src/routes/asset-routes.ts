import { apiRoutes } from '@darkroom/api';
import type { AssetUrlSigner } from '../auth/asset-url-signer.js';
import type { ApiRoutes } from '../openapi/api-routes.js';

/**
 * Serves stored images to their owner (ids are unguessable; another user gets 404), and hands out
 * signed, expiring URLs for places that cannot send a key (written under the server's `basePath`).
 */
export function assetRoutes(routes: ApiRoutes, signer: AssetUrlSigner, basePath: string): void {
  routes.add(
    apiRoutes.getAsset,
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
    apiRoutes.signAssetUrl,
    async (c, { body }) => {
      const asset = await c.get('engine').assets.get(c.get('userId'), c.req.param('id')!);
      const expiresAt = Date.now() + (body.expires_in as number) * 1000;
      return { status: 201, body: { url: `${basePath}/v1/assets/${asset.id}?token=${signer.sign(asset.id, c.get('userId'), expiresAt)}`, expires_at: new Date(expiresAt).toISOString() } };
    },
  );
}

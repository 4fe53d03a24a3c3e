/** A stored image's URL as the engine writes it by default (createEngine's `assetUrl`): `/v1/assets/<id>`. */
const defaultAssetUrl = /^\/v1\/assets\/[^/?#\s]+$/;

/**
 * A stored image's URL as the API writes it: the engine's default form (`/v1/assets/<id>`) under the
 * server's base path (`/studio/v1/assets/<id>`). Stores keep the root-relative form, so records stay
 * valid when the base path changes; a URL of another form (a custom `assetUrl`, a CDN) is written as
 * it is. The serializers call it for the fields that hold an image URL the engine wrote (`url`,
 * `image_url`, `image_path`) and for nothing else: user text (titles, prompts, content, metadata) is
 * never rewritten, whatever it looks like.
 *
 * @example
 * wireAssetUrl('/v1/assets/ast_1', '/studio');                 // '/studio/v1/assets/ast_1'
 * wireAssetUrl('/v1/assets/ast_1', '');                        // '/v1/assets/ast_1'
 * wireAssetUrl('https://cdn.example/ast_1.png', '/studio');    // 'https://cdn.example/ast_1.png'
 */
export function wireAssetUrl(url: string, basePath: string): string {
  return basePath && defaultAssetUrl.test(url) ? `${basePath}${url}` : url;
}

/** A stored image's URL as the engine writes it by default (createEngine's `assetUrl`): `/v1/assets/<id>`. */
const assetUrl = /^\/v1\/assets\/[^/?#\s]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A wire value with every image URL of the engine's default form (`/v1/assets/<id>`, wherever it
 * sits: `url`, `image_url`, a plugin workflow's own result) written under the server's base path:
 * `/studio/v1/assets/<id>`. Stores keep the root-relative form, so records stay valid when the base
 * path changes; URLs of another form (a custom `assetUrl`, a CDN) are left as they are. Without a
 * base path the value itself is answered, untouched.
 *
 * @example
 * prefixAssetUrls({ images: [{ url: '/v1/assets/ast_1' }] }, '/studio');
 * // { images: [{ url: '/studio/v1/assets/ast_1' }] }
 */
export function prefixAssetUrls<T>(value: T, basePath: string): T {
  if (!basePath) return value;
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return assetUrl.test(item) ? `${basePath}${item}` : item;
    if (Array.isArray(item)) return item.map(visit);
    if (isPlainObject(item)) return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, visit(entry)]));
    return item;
  };
  return visit(value) as T;
}

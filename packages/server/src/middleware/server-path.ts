import type { Context } from 'hono';
import { basePath } from 'hono/route';

/**
 * The request's path as the server's own routes name it (`/health`, `/v1/assets/ast_1`): without the
 * prefix a host app routed it under (`host.route('/studio', darkroom.app)` makes Hono show this
 * middleware `/studio/health`). The prefix comes from where Hono registered the calling middleware,
 * not from the request, so it is exact: a host that strips the prefix itself (Hono's `mount()`)
 * leaves nothing to remove. Call it from a middleware the server registered with `app.use()`.
 *
 * @example
 * app.use((c, next) => (routes.isPublic(serverPath(c)) ? next() : requireKey(c, next)));
 */
export function serverPath(c: Context): string {
  const prefix = basePath(c).replace(/\/+$/, '');
  if (!prefix || !c.req.path.startsWith(prefix)) return c.req.path;
  const rest = c.req.path.slice(prefix.length);
  return rest === '' ? '/' : rest.startsWith('/') ? rest : c.req.path;
}

import { errors, scopeIdempotencyKey, type Engine } from '@darkroom/core';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { wireAssetUrl } from '../wire/index.js';

/**
 * The HTTP routes the engine's plugins add (`engine.routes`), mounted through `routes` like the
 * server's own: validated both ways, behind the API key (never public), counted by the rate limit,
 * a POST's Idempotency-Key guarded and handed to the handler, failures in the error format, and
 * documented. Each handler gets the request as its route's schemas parsed it and the caller's
 * studio (`engine.forUser`, through the engine this request sees, so the rate limit charges the work
 * it starts), its image URLs under the server's base path.
 *
 * Refused at start (a `configuration` error): a route that could answer the same requests as a
 * built-in route or another plugin's (see `ApiRoutes.add`), or whose path the server serves without
 * an API key (`isPublic`: Swagger UI's files, the playground's assets).
 */
export function pluginRoutes(routes: ApiRoutes, engine: Engine, options: { basePath: string; isPublic: (path: string) => boolean }): void {
  for (const { plugin, route, handle } of engine.routes.list()) {
    if (options.isPublic(route.path)) {
      throw errors.configuration(`Plugin ${JSON.stringify(plugin)}'s route ${route.method.toUpperCase()} ${route.path} (${route.operationId}) is under a path the server serves without an API key: give it another path (e.g. under /api/v1/)`, { plugin, operation_id: route.operationId });
    }
    routes.add(
      route,
      async (c, input) => {
        const signal = c.req.raw.signal;
        const studio = c.get('engine').forUser(c.get('userId'), { signal, imageUrl: (url) => wireAssetUrl(url, options.basePath) });
        // Scoped to this route: the same key sent to another route (a plugin's or a built-in) is another request.
        const key = route.method === 'post' ? c.req.header('idempotency-key') : undefined;
        const idempotencyKey = key === undefined ? undefined : scopeIdempotencyKey(['route', route.operationId], key);
        const reply: unknown = await handle({ params: c.req.param(), query: input.query, body: route.body ? input.body : undefined, ...(idempotencyKey ? { idempotencyKey } : {}), signal }, studio);
        // A handler written without the types could answer anything: only `{ status, body?, headers? }` is checked and sent.
        if (typeof reply !== 'object' || reply === null || reply instanceof Response || typeof (reply as { status?: unknown }).status !== 'number') {
          throw new Error(`Plugin ${plugin}'s route ${route.operationId} answered ${reply instanceof Response ? 'a Response' : typeof reply}, not { status, body?, headers? }`);
        }
        return reply as { status: number; body?: unknown; headers?: Record<string, string> };
      },
      { plugin },
    );
  }
}

import { Hono } from 'hono';
import { mount } from 'hono/mount';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import type { Logger } from './middleware/request-context.js';
import type { ServerEnv } from './server-env.js';

/**
 * A fetch handler that answers the app's routes under `basePath` from full URLs (`/studio/health`
 * reaches the app as `/health`), for hosts that pass requests as they came: `listen()`, Bun, Deno,
 * a framework's catch-all route. Paths outside the base path are a JSON 404. Without a base path
 * it is the app's own `fetch`.
 *
 * @example
 * const fetch = fetchUnderBasePath(app, '/studio');
 * await fetch(new Request('http://localhost/studio/health')); // the app's GET /health
 */
export function fetchUnderBasePath(app: Hono<ServerEnv>, basePath: string, log?: Logger): Hono<ServerEnv>['fetch'] {
  if (!basePath) return app.fetch;
  const outer = new Hono<ServerEnv>({ strict: false });
  // Hono's mount() strips the prefix (and refuses dot segments that would climb out of it with a 400).
  outer.all(`${basePath}/*`, mount(app.fetch));
  outer.notFound(notFoundHandler);
  outer.onError(errorHandler(log ? { log } : {}));
  return outer.fetch;
}

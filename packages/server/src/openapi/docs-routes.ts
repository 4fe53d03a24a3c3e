import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { apiRoutes } from '@darkroom/api';
import type { Hono } from 'hono';
import type { ServerEnv } from '../server-env.js';
import type { ApiRoutes } from './api-routes.js';

const require = createRequire(import.meta.url);
const assets: Record<string, string> = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };

/** Swagger UI's page; its files and the document it loads are under `basePath` (validated: no quotes or `<`). */
const page = (basePath: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Darkroom API</title>
<link rel="stylesheet" href="${basePath}/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="${basePath}/docs/swagger-ui-bundle.js"></script>
<script src="${basePath}/docs/init.js"></script></body></html>`;
const init = (basePath: string) => `window.ui = SwaggerUIBundle({ url: '${basePath}/openapi.json', dom_id: '#ui', deepLinking: true, persistAuthorization: true });`;

/**
 * `GET /openapi.json` and Swagger UI at `/docs`, served from the installed swagger-ui-dist (no CDN).
 * The page names its files and the document by URLs under the server's `basePath`.
 */
export function docsRoutes(routes: ApiRoutes, app: Hono<ServerEnv>, document: () => object, basePath = ''): void {
  const html = page(basePath);
  const script = init(basePath);
  // Found, not loaded: requiring swagger-ui-dist evaluates its 1.5 MB browser bundle (0.7 s at start).
  const folder = dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Uint8Array>();
  let json: string | undefined;
  routes.add(
    apiRoutes.openApiDocument,
    (c) => {
      json ??= JSON.stringify(document());
      return c.body(json, 200, { 'Content-Type': 'application/json; charset=utf-8' });
    },
  );
  routes.add(
    apiRoutes.apiReference,
    (c) => c.html(html),
  );
  app.get('/docs/init.js', (c) => c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/:file', async (c) => {
    const file = c.req.param('file');
    const type = assets[file];
    if (!type) return c.json({ error: { code: 'not_found', message: `No file ${file}` } }, 404);
    let bytes = cache.get(file);
    if (!bytes) {
      bytes = new Uint8Array(await readFile(join(folder, file)));
      cache.set(file, bytes);
    }
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}

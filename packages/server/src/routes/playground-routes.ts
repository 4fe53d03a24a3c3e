import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { apiRoutes } from '@darkroom/api';
import type { Hono } from 'hono';
import { compress } from 'hono/compress';
import { serverPath } from '../middleware/server-path.js';
import type { ApiRoutes } from '../openapi/api-routes.js';
import type { ServerEnv } from '../server-env.js';

const require = createRequire(import.meta.url);

/** Where the page's hashed files are served from (Vite's `assetsDir`), under the server's base path. */
export const playgroundAssetsPrefix = '/assets/';

// The page talks to this server only; its scripts and styles are its own files (no inline code, no CDN).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'";

/**
 * The built playground of the installed `@darkroom/web` (its `dist` folder), or `undefined` when the
 * package cannot be found. The folder may not exist yet: the playground is built by `npm run build`.
 */
export function findPlaygroundFolder(): string | undefined {
  try {
    return join(dirname(require.resolve('@darkroom/web/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

const notBuilt = (folder: string | undefined, basePath: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Darkroom: playground not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>The web playground is not built</h1>
<p>Run <code>npm run build</code> at the root of the Darkroom repository (it builds <code>@darkroom/web</code> to <code>${folder ? escapeHtml(folder) : 'packages/web/dist'}</code>), then reload this page.</p>
<p>The API works without it: see <a href="${basePath}/docs">the API reference</a>.</p>
</body></html>`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The web playground at `GET /` (public: the page needs no key; its API calls do) and its hashed files
 * under `/assets/` (`Cache-Control: public, max-age=31536000, immutable`). The page is written with a
 * `<base href>` of the server's base path, so its files and its API calls go under that prefix, and is
 * sent with `Cache-Control: no-cache` and an ETag. When the folder holds no built page, `/` answers a
 * 404 page that says to run `npm run build` (and `/assets/…` a JSON 404).
 *
 * @param folder The built playground (`index.html` and `assets/`); see findPlaygroundFolder.
 */
export function playgroundRoutes(routes: ApiRoutes, app: Hono<ServerEnv>, options: { folder: string | undefined; basePath: string }): void {
  const { folder, basePath } = options;
  let page: { html: string; etag: string; modified: number } | undefined;
  // Read again when the file changes (a build while the server runs names new hashed files).
  async function readPage() {
    if (!folder) return undefined;
    const file = join(folder, 'index.html');
    let html: string;
    let modified: number;
    try {
      modified = (await stat(file)).mtimeMs;
      if (page?.modified === modified) return page;
      html = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    // The base path is validated (letters, digits, `. _ ~ -` segments), so it needs no escaping.
    const written = html.replace(/<head>/i, `<head>\n    <base href="${basePath}/">`);
    page = { html: written, etag: `"${createHash('sha256').update(written).digest('base64url').slice(0, 27)}"`, modified };
    return page;
  }
  routes.add(
    apiRoutes.playground,
    async (c) => {
      const found = await readPage();
      if (!found) return c.html(notBuilt(folder, basePath), 404, { 'Cache-Control': 'no-store' });
      const headers = { 'Cache-Control': 'no-cache', ETag: found.etag, 'Content-Security-Policy': contentSecurityPolicy, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' };
      if (c.req.header('if-none-match') === found.etag) return c.body(null, 304, headers);
      return c.html(found.html, 200, headers);
    },
  );
  if (!folder) return;
  // Made once the folder exists (it may be built after the server started; serveStatic complains of a missing root).
  let files: ReturnType<typeof serveStatic<ServerEnv>> | undefined;
  // Compressed for clients that accept gzip or deflate (the script is mostly zod: 177 kB, 55 kB gzipped).
  app.get(`${playgroundAssetsPrefix}*`, compress(), async (c, next) => {
    files ??= existsSync(folder)
      ? serveStatic<ServerEnv>({
          root: folder,
          // The file's path as the server names it, without the prefix a host app routed it under.
          rewriteRequestPath: (_path, context) => serverPath(context),
        })
      : undefined;
    if (!files) return next();
    const found = await files(c, next);
    // Found files only (serveStatic's onFound comes after the response is made): a 404 is not kept.
    if (found instanceof Response && found.status < 300) {
      found.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
      found.headers.set('X-Content-Type-Options', 'nosniff');
    }
    return found;
  });
}

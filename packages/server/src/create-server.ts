import type { Engine } from '@darkroom/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiKeyVerifier } from './auth/api-keys.js';
import { AssetUrlSigner } from './auth/asset-url-signer.js';
import { authenticate } from './auth/authenticate.js';
import { EventJournal } from './events/event-journal.js';
import { fetchUnderBasePath } from './fetch-under-base-path.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { closeUnreadRequest } from './middleware/close-unread-request.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { idempotencyGuard } from './middleware/idempotency-guard.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestContext, type Logger } from './middleware/request-context.js';
import { ApiRoutes } from './openapi/api-routes.js';
import { createOpenApiDocument } from './openapi/create-openapi-document.js';
import { docsRoutes } from './openapi/docs-routes.js';
import { parseBasePath } from './parse-base-path.js';
import { assetRoutes } from './routes/asset-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { featureRoutes } from './routes/feature-routes.js';
import { galleryRoutes } from './routes/gallery-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { imageGenerationRoutes } from './routes/image-generation-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { findPlaygroundFolder, playgroundAssetsPrefix, playgroundRoutes } from './routes/playground-routes.js';
import { pluginRoutes } from './routes/plugin-routes.js';
import { promptRoutes } from './routes/prompt-routes.js';
import { defaultImageUrlPolicy, type ImageUrlPolicy } from './safety/resolve-image-urls.js';
import type { ServerEnv } from './server-env.js';
import type { ServerServices } from './server-services.js';
import { WebhookSender, type WebhookSenderOptions } from './webhooks/webhook-sender.js';

export interface ServerOptions {
  engine: Engine;
  /** API keys; without them the server is in single-user development mode. */
  apiKeys?: ApiKeyVerifier;
  /** Owner of everything in single-user development mode. */
  devUserId?: string;
  /** Largest request body in bytes (chunked bodies included). */
  maxBodyBytes?: number;
  /** Requests per window per API key (600 a minute by default; none in development mode); `false` turns it off. */
  rateLimit?: { limit: number; windowSeconds: number } | false;
  /** Fetching image URLs: size, time, redirects, and images per request (8 by default); see `defaultImageUrlPolicy`. */
  imageUrls?: Partial<ImageUrlPolicy>;
  /** Signs expiring image URLs (`POST /v1/assets/:id/signed-url`); random per process when absent. */
  urlSigningSecret?: string;
  /** Per-job webhooks, signed with this Standard Webhooks secret. */
  webhooks?: Omit<WebhookSenderOptions, 'log' | 'basePath'>;
  /** Structured request and event logging (one JSON object per call); silent when absent. */
  log?: Logger;
  /** Prometheus metrics at /metrics (on by default). */
  metrics?: boolean;
  /** SSE heartbeat interval. */
  heartbeatMs?: number;
  /** How often a job event stream re-reads its job, for jobs run by another process. */
  eventPollMs?: number;
  /**
   * The path a host app serves this server under, e.g. `'/studio'`: a leading `/`, segments of
   * letters, digits and `. _ ~ -`, no trailing `/`, no `.`/`..`, query, fragment or surrounding
   * whitespace (`/` or absent: the root; anything else is a `configuration` DarkroomError saying what
   * is allowed, and what to write when a valid value can be told). Every URL the server writes
   * carries it: `status_url`, `events_url` and `Location`, signed image URLs, the image URLs of stored
   * images (`/v1/assets/<id>`, createEngine's default `assetUrl`; stores keep them root-relative) in
   * the fields that hold them (`url` of every image, a gallery item's or message's `image_url`, the
   * generate routes' `image_url` and `image_path`) in answers, events and webhook payloads, Swagger
   * UI's files and the document it loads, and the OpenAPI `servers` entry. User text (titles,
   * prompts, content, metadata) is never rewritten, nor is the result of a workflow given to
   * createEngine (it is answered as it is). The routes keep their own paths, and auth, rate limits
   * and signed URLs judge requests by those, without the prefix. Mount it one of these ways (the CLI:
   * DARKROOM_BASE_PATH, trimmed of surrounding whitespace):
   *
   * - in a Hono host app (the supported way): `host.route('/studio', darkroom.app)`; the host's own
   *   routes are untouched, and the host's `strict` (use `new Hono({ strict: false })` to keep trailing
   *   slashes optional) and `notFound` apply under the prefix;
   * - in any other host that hands over requests with their full URL (`listen()`, Bun, Deno, a
   *   framework's catch-all route): `darkroom.fetch`, which answers under the prefix only;
   * - behind something that strips the prefix first (Hono's `host.all('/studio/*', mount(darkroom.app.fetch))`
   *   from `hono/mount`, a proxy): `darkroom.app.fetch`.
   */
  basePath?: string;
  /**
   * The web playground at `/`: the folder of its built files (`index.html`, `assets/`); by default the
   * installed `@darkroom/web`'s `dist` (built by `npm run build`). `false`: no playground (`/` is a 404).
   */
  playground?: { folder: string } | false;
}

/** What createServer answers: the Hono app, and `close()` for its listeners (journal, webhooks, metrics). */
export interface DarkroomServer {
  /** The routes at their own paths (`/health`, `/v1/...`): `host.route(basePath, app)`, or `app.fetch` behind a prefix-stripping host. */
  app: Hono<ServerEnv>;
  /** Answers full URLs under `basePath` (`/studio/health`); the app's own `fetch` when there is none. */
  fetch: Hono<ServerEnv>['fetch'];
  /** The validated base path, `''` at the root. */
  basePath: string;
  routes: ApiRoutes;
  /** Stops taking new work (readiness turns 503, new POSTs get 503). */
  drain(): void;
  close(): Promise<void>;
}

/**
 * The HTTP face of an engine: validation, auth, limits and mapping; no business logic. The routes
 * the engine's plugins add (`definePlugin({ routes })`) are mounted beside the built-in ones, under
 * the same auth, limits, validation and documentation; one that clashes with another route is a
 * `configuration` error thrown from here.
 *
 * @example
 * const { app } = createServer({ engine });
 * const response = await app.request('/health');
 *
 * @example
 * // Under a host app's /studio (see ServerOptions.basePath):
 * const darkroom = createServer({ engine, basePath: '/studio' });
 * host.route('/studio', darkroom.app);
 */
export function createServer(options: ServerOptions): DarkroomServer {
  const { engine } = options;
  const basePath = parseBasePath(options.basePath);
  const app = new Hono<ServerEnv>({ strict: false });
  const maxSize = options.maxBodyBytes ?? 50 * 1024 * 1024;
  const metrics = options.metrics === false ? undefined : new ServerMetrics(engine);
  const log = options.log;
  const services: ServerServices = {
    journal: new EventJournal(engine, { basePath }),
    ...(options.webhooks ? { webhooks: new WebhookSender(engine, { ...options.webhooks, basePath, ...(log ? { log } : {}) }) } : {}),
    imageUrls: { ...defaultImageUrlPolicy, ...options.imageUrls },
    heartbeatMs: options.heartbeatMs ?? 15_000,
    eventPollMs: options.eventPollMs ?? 2_000,
    openStreams: new Map(),
    basePath,
  };
  let draining = false;

  app.use(closeUnreadRequest());
  app.use(requestContext({ engine, ...(log ? { log } : {}), ...(metrics ? { metrics } : {}) }));
  app.use(async (c, next) => {
    if (draining && c.req.method === 'POST') {
      c.header('Retry-After', '5');
      return c.json({ error: { code: 'unavailable', message: 'The server is shutting down; retry in a moment (or on another instance)' } }, 503);
    }
    return next();
  });
  app.use(
    bodyLimit({
      maxSize,
      onError: (c) => c.json({ error: { code: 'payload_too_large', message: `The request body is larger than ${maxSize} bytes`, details: { maxBytes: maxSize } } }, 413),
    }),
  );
  const routes = new ApiRoutes();
  const assetUrls = new AssetUrlSigner(options.urlSigningSecret);
  // Public: the routes the table marks public, Swagger UI's own files under /docs/ and the playground's under /assets/.
  const isPublic = (path: string) => path.startsWith('/docs/') || path.startsWith(playgroundAssetsPrefix) || routes.isPublic(path);
  app.use(authenticate({ ...(options.apiKeys ? { verifier: options.apiKeys } : {}), devUserId: options.devUserId ?? 'local', assetUrls, isPublic }));
  // Limits count per API key; single-user development mode has none to count.
  if (options.rateLimit !== false && options.apiKeys) {
    app.use(rateLimit({ ...(options.rateLimit ?? { limit: 600, windowSeconds: 60 }), skip: isPublic }));
  }
  app.use(idempotencyGuard());
  app.onError(errorHandler(log ? { log } : {}));
  app.notFound(notFoundHandler);

  healthRoutes(routes, metrics, () => draining);
  docsRoutes(routes, app, () =>
    createOpenApiDocument(routes.routes, {
      title: 'Darkroom',
      version: '0.1.0',
      description: 'AI photo-studio workflows: chat, features, gallery, jobs. Authenticate with `Authorization: Bearer <key>` or `X-API-Key`.',
    }, { basePath }),
    basePath,
  );
  chatRoutes(routes, services);
  featureRoutes(routes, engine, services);
  imageGenerationRoutes(routes, engine, services);
  promptRoutes(routes);
  galleryRoutes(routes, services);
  assetRoutes(routes, assetUrls, basePath);
  jobRoutes(routes, services);
  if (options.playground !== false) playgroundRoutes(routes, app, { folder: options.playground?.folder ?? findPlaygroundFolder(), basePath });
  // Last: each is checked against every route above (and the plugins' before it).
  pluginRoutes(routes, engine, { basePath, isPublic });
  routes.mount(app);

  return {
    app,
    fetch: fetchUnderBasePath(app, basePath, log),
    basePath,
    routes,
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      services.journal.close();
      metrics?.close();
      await services.webhooks?.close();
    },
  };
}

import type { Engine } from '@darkroom/core';
import { defaultImageLimits } from '@darkroom/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiKeyVerifier } from './auth/api-keys.js';
import { AssetUrlSigner } from './auth/asset-url-signer.js';
import { authenticate } from './auth/authenticate.js';
import { EventJournal } from './events/event-journal.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { closeUnreadRequest } from './middleware/close-unread-request.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { idempotencyGuard } from './middleware/idempotency-guard.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestContext, type Logger } from './middleware/request-context.js';
import { ApiRoutes } from './openapi/api-routes.js';
import { createOpenApiDocument } from './openapi/create-openapi-document.js';
import { docsRoutes } from './openapi/docs-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { featureRoutes } from './routes/feature-routes.js';
import { galleryRoutes } from './routes/gallery-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { imageGenerationRoutes } from './routes/image-generation-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { promptRoutes } from './routes/prompt-routes.js';
import type { ImageUrlPolicy } from './safety/resolve-image-urls.js';
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
  /** Fetching image URLs: size, time, redirects, images per request. */
  imageUrls?: Partial<ImageUrlPolicy>;
  /** Signs expiring image URLs (`POST /v1/assets/:id/signed-url`); random per process when absent. */
  urlSigningSecret?: string;
  /** Per-job webhooks, signed with this Standard Webhooks secret. */
  webhooks?: Omit<WebhookSenderOptions, 'log'>;
  /** Structured request and event logging (one JSON object per call); silent when absent. */
  log?: Logger;
  /** Prometheus metrics at /metrics (on by default). */
  metrics?: boolean;
  /** SSE heartbeat interval. */
  heartbeatMs?: number;
  /** How often a job event stream re-reads its job, for jobs run by another process. */
  eventPollMs?: number;
}

/** What createServer answers: the Hono app, and `close()` for its listeners (journal, webhooks, metrics). */
export interface DarkroomServer {
  app: Hono<ServerEnv>;
  routes: ApiRoutes;
  /** Stops taking new work (readiness turns 503, new POSTs get 503). */
  drain(): void;
  close(): Promise<void>;
}

/**
 * The HTTP face of an engine: validation, auth, limits and mapping; no business logic.
 *
 * @example
 * const { app } = createServer({ engine });
 * const response = await app.request('/health');
 */
export function createServer(options: ServerOptions): DarkroomServer {
  const { engine } = options;
  const app = new Hono<ServerEnv>({ strict: false });
  const maxSize = options.maxBodyBytes ?? 50 * 1024 * 1024;
  const metrics = options.metrics === false ? undefined : new ServerMetrics(engine);
  const log = options.log;
  const services: ServerServices = {
    journal: new EventJournal(engine),
    ...(options.webhooks ? { webhooks: new WebhookSender(engine, { ...options.webhooks, ...(log ? { log } : {}) }) } : {}),
    imageUrls: { maxBytes: defaultImageLimits.maxBytes, timeoutMs: 15_000, maxRedirects: 3, maxImages: 2, ...options.imageUrls },
    heartbeatMs: options.heartbeatMs ?? 15_000,
    eventPollMs: options.eventPollMs ?? 2_000,
    openStreams: new Map(),
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
  // Public: the routes the table marks public, and Swagger UI's own files under /docs/.
  const isPublic = (path: string) => path.startsWith('/docs/') || routes.isPublic(path);
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
    }),
  );
  chatRoutes(routes, services);
  featureRoutes(routes, engine, services);
  imageGenerationRoutes(routes, engine, services);
  promptRoutes(routes);
  galleryRoutes(routes, services);
  assetRoutes(routes, assetUrls);
  jobRoutes(routes, services);
  routes.mount(app);

  return {
    app,
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

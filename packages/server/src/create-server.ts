import type { Engine } from '@darkroom/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { requestContext } from './middleware/request-context.js';
import { assetRoutes } from './routes/asset-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { featureRoutes } from './routes/feature-routes.js';
import { galleryRoutes } from './routes/gallery-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import type { ServerEnv } from './server-env.js';

export interface ServerOptions {
  engine: Engine;
  /** Owner of everything in single-user development mode. */
  userId?: string;
  /** Largest request body in bytes. */
  maxBodyBytes?: number;
}

/**
 * The HTTP face of an engine: validation and mapping only, no business logic.
 *
 * @example
 * const app = createServer({ engine });
 * const response = await app.request('/health');
 */
export function createServer(options: ServerOptions) {
  const app = new Hono<ServerEnv>({ strict: false });
  const maxSize = options.maxBodyBytes ?? 50 * 1024 * 1024;
  app.use(requestContext({ engine: options.engine, userId: options.userId ?? 'local' }));
  app.use(
    bodyLimit({
      maxSize,
      onError: (c) => c.json({ error: { code: 'payload_too_large', message: `The request body is larger than ${maxSize} bytes` } }, 413),
    }),
  );
  app.onError(errorHandler());
  app.notFound(notFoundHandler);
  app.route('/', healthRoutes());
  app.route('/api/v1/chat', chatRoutes());
  app.route('/v1/features', featureRoutes());
  app.route('/v1/gallery', galleryRoutes());
  app.route('/v1/assets', assetRoutes());
  app.route('/v1/jobs', jobRoutes());
  return app;
}

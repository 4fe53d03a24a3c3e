import { Hono } from 'hono';
import type { ServerEnv } from '../server-env.js';

/** Liveness, and seed 003's aggregated provider health and model list. */
export function healthRoutes() {
  const app = new Hono<ServerEnv>({ strict: false });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/api/health/images', async (c) => {
    const health = await c.get('engine').health();
    return c.json(health, health.ok ? 200 : 503);
  });
  app.get('/api/images/models', (c) => c.json({ models: c.get('engine').models() }));
  return app;
}

import { Hono } from 'hono';
import type { ServerEnv } from '../server-env.js';

export function jobRoutes() {
  const app = new Hono<ServerEnv>({ strict: false });
  app.get('/:id', async (c) => c.json(await c.get('engine').jobs.get(c.get('userId'), c.req.param('id'))));
  app.delete('/:id', async (c) => c.json(await c.get('engine').jobs.cancel(c.get('userId'), c.req.param('id'))));
  return app;
}

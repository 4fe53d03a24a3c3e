import { DarkroomError, type GalleryQuery } from '@darkroom/core';
import { Hono } from 'hono';
import { readRequestBody } from '../read-request-body.js';
import type { ServerEnv } from '../server-env.js';

function galleryQuery(query: Record<string, string>): GalleryQuery {
  const result: GalleryQuery = {};
  if (query.limit !== undefined) {
    const limit = Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new DarkroomError({ code: 'invalid_input', message: 'limit must be an integer from 1 to 200' });
    result.limit = limit;
  }
  if (query.source !== undefined) {
    if (query.source !== 'chat' && query.source !== 'direct') throw new DarkroomError({ code: 'invalid_input', message: 'source must be chat or direct' });
    result.source = query.source;
  }
  if (query.cursor) result.cursor = query.cursor;
  if (query.intent) result.intent = query.intent;
  if (query.session_id) result.sessionId = query.session_id;
  return result;
}

/** The gallery shared by both flows (seed 001's routes). */
export function galleryRoutes() {
  const app = new Hono<ServerEnv>({ strict: false });
  app.get('/', async (c) => c.json(await c.get('engine').gallery.list(c.get('userId'), galleryQuery(c.req.query()))));
  app.post('/', async (c) => c.json(await c.get('engine').gallery.create(c.get('userId'), await readRequestBody(c)), 201));
  app.get('/deleted', async (c) => c.json(await c.get('engine').gallery.listDeleted(c.get('userId'), galleryQuery(c.req.query()))));
  app.get('/:id', async (c) => c.json(await c.get('engine').gallery.get(c.get('userId'), c.req.param('id'))));
  app.delete('/:id', async (c) => {
    await c.get('engine').gallery.delete(c.get('userId'), c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/:id/restore', async (c) => c.json(await c.get('engine').gallery.restore(c.get('userId'), c.req.param('id'))));
  app.delete('/:id/permanent', async (c) => {
    await c.get('engine').gallery.deletePermanently(c.get('userId'), c.req.param('id'));
    return c.body(null, 204);
  });
  return app;
}

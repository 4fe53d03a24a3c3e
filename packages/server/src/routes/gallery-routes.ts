import { apiRoutes, type galleryQuery } from '@darkroom/api';
import { imageFieldsOf, type GalleryQuery } from '@darkroom/core';
import type { z } from 'zod';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { resolveImageUrls } from '../safety/resolve-image-urls.js';
import type { ServerServices } from '../server-services.js';
import { toWireGalleryItem, toWireGalleryPage } from '../wire/index.js';

const toQuery = (query: z.infer<typeof galleryQuery>): GalleryQuery => ({
  ...(query.limit !== undefined ? { limit: query.limit } : {}),
  ...(query.cursor ? { cursor: query.cursor } : {}),
  ...(query.source ? { source: query.source } : {}),
  ...(query.intent ? { intent: query.intent } : {}),
  ...(query.session_id ? { sessionId: query.session_id } : {}),
  ...(query.created_after ? { createdAfter: Date.parse(query.created_after) } : {}),
  ...(query.created_before ? { createdBefore: Date.parse(query.created_before) } : {}),
});

/** The gallery, shared by the chat and the features. */
export function galleryRoutes(routes: ApiRoutes, services: ServerServices): void {
  routes.add(
    apiRoutes.listGallery,
    async (c, { query }) => ({ status: 200, body: toWireGalleryPage(await c.get('engine').gallery.list(c.get('userId'), toQuery(query as z.infer<typeof galleryQuery>)), services.basePath) }),
  );
  routes.add(
    apiRoutes.createGalleryItem,
    async (c, { body }) => {
      // Uploaded bytes go to the engine as they are: it stores them once the record and its key are checked.
      const resolved = await resolveImageUrls(body, { fields: imageFieldsOf(apiRoutes.createGalleryItem.body), policy: services.imageUrls });
      const key = c.req.header('idempotency-key');
      return { status: 201, body: toWireGalleryItem(await c.get('engine').gallery.create(c.get('userId'), resolved, key ? { idempotencyKey: key } : {}), services.basePath) };
    },
  );
  routes.add(
    apiRoutes.listDeletedGallery,
    async (c, { query }) => ({ status: 200, body: toWireGalleryPage(await c.get('engine').gallery.listDeleted(c.get('userId'), toQuery(query as z.infer<typeof galleryQuery>)), services.basePath) }),
  );
  routes.add(
    apiRoutes.getGalleryItem,
    async (c) => ({ status: 200, body: toWireGalleryItem(await c.get('engine').gallery.get(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    apiRoutes.deleteGalleryItem,
    async (c) => {
      await c.get('engine').gallery.delete(c.get('userId'), c.req.param('id')!);
      return { status: 204 };
    },
  );
  routes.add(
    apiRoutes.restoreGalleryItem,
    async (c) => ({ status: 200, body: toWireGalleryItem(await c.get('engine').gallery.restore(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    apiRoutes.deleteGalleryItemPermanently,
    async (c) => {
      await c.get('engine').gallery.deletePermanently(c.get('userId'), c.req.param('id')!);
      return { status: 204 };
    },
  );
}

import { newGalleryItem, type GalleryQuery } from '@darkroom/core';
import { z } from 'zod';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { resolveImageUrls } from '../safety/resolve-image-urls.js';
import { imageOrUrlInput } from '../schemas/common-schemas.js';
import { galleryItem, galleryPage, galleryQuery } from '../schemas/gallery-schemas.js';
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

const newItem = newGalleryItem.extend({ image: imageOrUrlInput });

/** Seed 001's gallery, shared by both flows. */
export function galleryRoutes(routes: ApiRoutes, services: ServerServices): void {
  routes.add(
    { method: 'get', path: '/v1/gallery', operationId: 'listGallery', summary: 'The caller\'s images, newest first, with cursor pagination and filters', tag: 'Gallery', query: galleryQuery, responses: { 200: { description: 'A page', schema: galleryPage } } },
    async (c, { query }) => ({ status: 200, body: toWireGalleryPage(await c.get('engine').gallery.list(c.get('userId'), toQuery(query as z.infer<typeof galleryQuery>)), services.basePath) }),
  );
  routes.add(
    { method: 'post', path: '/v1/gallery', operationId: 'createGalleryItem', summary: 'Keeps an image in the gallery', tag: 'Gallery', body: newItem, multipart: true, responses: { 201: { description: 'The record', schema: galleryItem } } },
    async (c, { body }) => {
      // Uploaded bytes go to the engine as they are: it stores them once the record and its key are checked.
      const resolved = await resolveImageUrls(body, services.imageUrls);
      const key = c.req.header('idempotency-key');
      return { status: 201, body: toWireGalleryItem(await c.get('engine').gallery.create(c.get('userId'), resolved, key ? { idempotencyKey: key } : {}), services.basePath) };
    },
  );
  routes.add(
    { method: 'get', path: '/v1/gallery/deleted', operationId: 'listDeletedGallery', summary: 'Soft-deleted images', tag: 'Gallery', query: galleryQuery, responses: { 200: { description: 'A page', schema: galleryPage } } },
    async (c, { query }) => ({ status: 200, body: toWireGalleryPage(await c.get('engine').gallery.listDeleted(c.get('userId'), toQuery(query as z.infer<typeof galleryQuery>)), services.basePath) }),
  );
  routes.add(
    { method: 'get', path: '/v1/gallery/:id', operationId: 'getGalleryItem', summary: 'One image record', tag: 'Gallery', responses: { 200: { description: 'The record', schema: galleryItem } } },
    async (c) => ({ status: 200, body: toWireGalleryItem(await c.get('engine').gallery.get(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    { method: 'delete', path: '/v1/gallery/:id', operationId: 'deleteGalleryItem', summary: 'Soft-deletes an image (restorable)', tag: 'Gallery', responses: { 204: { description: 'Deleted' } } },
    async (c) => {
      await c.get('engine').gallery.delete(c.get('userId'), c.req.param('id')!);
      return { status: 204 };
    },
  );
  routes.add(
    { method: 'post', path: '/v1/gallery/:id/restore', operationId: 'restoreGalleryItem', summary: 'Restores a soft-deleted image', tag: 'Gallery', responses: { 200: { description: 'The restored record', schema: galleryItem } } },
    async (c) => ({ status: 200, body: toWireGalleryItem(await c.get('engine').gallery.restore(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    { method: 'delete', path: '/v1/gallery/:id/permanent', operationId: 'deleteGalleryItemPermanently', summary: 'Deletes an image for good, with its stored file when nothing else uses it', tag: 'Gallery', responses: { 204: { description: 'Deleted' } } },
    async (c) => {
      await c.get('engine').gallery.deletePermanently(c.get('userId'), c.req.param('id')!);
      return { status: 204 };
    },
  );
}

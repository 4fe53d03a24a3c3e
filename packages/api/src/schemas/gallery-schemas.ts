import { z } from 'zod';
import { imageOrUrlInput } from './common-schemas.js';

export const galleryItem = z
  .object({
    id: z.string(),
    user_id: z.string(),
    asset_id: z.string(),
    image_url: z.string(),
    refined_prompt: z.string().nullable(),
    intent: z.string().nullable(),
    feature: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    seed: z.number().nullable(),
    metadata: z.looseObject({ source: z.enum(['chat', 'direct']) }),
    created_at: z.string(),
    deleted_at: z.string().nullable(),
  })
  .meta({ id: 'GalleryItem' });

export const galleryPage = z.object({ items: z.array(galleryItem), next_cursor: z.string().nullable() }).meta({ id: 'GalleryPage' });

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const galleryQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
    source: z.enum(['chat', 'direct']).optional(),
    intent: z.string().max(100).optional(),
    session_id: z.string().max(200).optional(),
    created_after: isoDate.optional().describe('Only images created at or after this time (ISO 8601)'),
    created_before: isoDate.optional().describe('Only images created before this time (ISO 8601)'),
  })
  .strict();

/**
 * Body of `POST /v1/gallery`: an image to keep (a file in multipart/form-data, an http(s) URL, a data
 * URI, {base64, mime_type} or {asset_id}) and what to note with it. The engine checks it again.
 */
export const newGalleryItemBody = z
  .object({
    image: imageOrUrlInput,
    refined_prompt: z.string().max(4000).optional(),
    intent: z.string().max(100).optional(),
    metadata: z.record(z.string(), z.unknown()).optional().describe('Your own notes, kept as JSON (at most 32 levels deep and 65,536 characters)'),
  })
  .strict();

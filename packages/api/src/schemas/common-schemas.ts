import { expectedImage, imageInput, imageSchemaKeyword } from '@darkroom/plugin-api';
import { z } from 'zod';

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. invalid_input, not_found, rate_limited'),
      message: z.string().describe('What went wrong and what to do'),
      details: z.record(z.string(), z.unknown()).optional(),
      request_id: z.string().optional().describe('Quote it when reporting a server error'),
    }),
  })
  .meta({ id: 'Error' });

export const idParam = z.string().min(1).max(200);

export const imageReference = z.object({
  asset_id: z.string(),
  gallery_id: z.string(),
  url: z.string().describe('Where the stored image is served (to its owner)'),
  width: z.number().int(),
  height: z.number().int(),
  mime_type: z.string(),
});

/** An image given by URL (fetched safely by the server), as well as the forms the engine takes. */
export const imageUrlInput = z.url({ protocol: /^https?$/ }).describe('An http(s) URL the server fetches (public addresses only)');

/**
 * An image in a request body: any of the engine's image forms, or an http(s) URL the server fetches.
 * Marked as an image (`imageFieldsOf` names a field of it), as `imageInput` is.
 */
export const imageOrUrlInput = z
  .union([imageInput, imageUrlInput], { error: expectedImage })
  .meta({ [imageSchemaKeyword]: true, description: 'An image: a file in multipart/form-data, an http(s) URL, a data URI, {base64, mime_type} or {asset_id}' });

export const webhookUrl = z.url({ protocol: /^https?$/ }).max(2048).optional().describe('Called when the job ends, signed with the Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature)');

export const attempt = z.object({
  provider: z.string(),
  model: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'skipped']),
  durationMs: z.number(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
});

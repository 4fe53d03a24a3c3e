import { z } from 'zod';
import { imageSchemaKeyword } from './image-fields-of.js';

/** Largest base64 payload accepted inline (about 37 MB of image bytes). Servers cap bodies earlier. */
export const maxInlineImageChars = 50_000_000;

const dataUri = z
  .string()
  .max(maxInlineImageChars)
  .regex(/^data:image\/[a-z0-9.+-]+;base64,/i, 'expected a data URI such as data:image/png;base64,... (or a file upload, { "base64": "..." }, { "asset_id": "..." }, or on the HTTP API an http(s) URL)')
  .describe('A data URI: data:image/png;base64,...');

const base64Image = z
  .object({
    base64: z.string().min(1).max(maxInlineImageChars).describe('Base64-encoded image bytes'),
    mime_type: z.string().max(100).optional().describe('e.g. image/png; sniffed from the bytes when omitted'),
  })
  .strict();

const assetReference = z
  .object({ asset_id: z.string().min(1).max(200).describe('Id of an image already stored by Darkroom') })
  .strict();

/**
 * The error of an image schema whose value is missing or fits none of the image forms (a value that
 * fits one form says what is wrong with it instead). For zod's `error` option of a union of image forms.
 */
export function expectedImage(issue: { code?: string }): string | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  return 'expected an image: a file upload or raw bytes, a data URI (data:image/png;base64,...), { "base64": "..." } or { "asset_id": "..." } (the HTTP API also takes an http(s) URL)';
}

/**
 * An image a client passes in: a data URI, `{ base64, mime_type }` or `{ asset_id }` (and, through
 * `engine.run`, raw bytes). Before a job is stored, inline images are moved to asset storage and
 * replaced by `{ asset_id }`. Any field whose schema is `imageInput` (optional, described, with a
 * default…) or a list of them (`z.array(imageInput)`) is an image field, whatever its name: the
 * server takes file uploads and URLs in it, the CLI and MCP file paths (see `imageFieldsOf`).
 *
 * @example
 * const input = z.object({ image: imageInput, references: z.array(imageInput).max(4).optional() });
 */
export const imageInput = z
  .union([dataUri, base64Image, assetReference], { error: expectedImage })
  .meta({ [imageSchemaKeyword]: true, description: 'An image: data URI, {base64, mime_type} or {asset_id}' });

export type ImageInput = z.infer<typeof imageInput>;
export type AssetReference = z.infer<typeof assetReference>;

export function isAssetReference(value: unknown): value is AssetReference {
  return typeof value === 'object' && value !== null && typeof (value as AssetReference).asset_id === 'string';
}

/** Output format a client may ask for; providers default to the input's format (PNG when it has none of these). */
export const outputFormat = z.enum(['png', 'jpeg', 'webp']).describe('Output format: png, jpeg or webp; default: the input image\'s');

/** A colour as `#rrggbb` or `#rgb` (CSS hex notation). */
export const hexColour = z
  .string()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'expected a hex colour such as #ffffff or #fff')
  .describe('A colour as #rrggbb or #rgb');

/**
 * The output fields every image feature takes: `format` and `background` (the colour a transparent
 * result is flattened on when the format has no alpha, e.g. JPEG; white by default).
 *
 * @example
 * input: z.object({ image: imageInput, ...outputOptions, ...providerChoice })
 */
export const outputOptions = {
  format: outputFormat.optional(),
  background: hexColour.optional().describe('Colour to flatten transparency on for formats without alpha (jpeg), as #rrggbb; default #ffffff'),
};

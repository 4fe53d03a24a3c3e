import { studioImageForms } from './parse-studio-image.js';
import type { JsonSchema, StudioFeature } from './studio.js';

/** A feature as `GET /v1/features` lists it (`toFeatureInfo` in process), as much as the CLI and MCP read. */
export interface ListedFeature {
  id: string;
  description: string;
  input_schema: JsonSchema;
  image_fields: string[];
}

/** Whether a JSON schema takes an array (a list image field's, possibly nullable). */
const takesArray = (schema: JsonSchema | undefined): boolean => schema?.type === 'array' || Boolean(schema?.anyOf?.some(takesArray));

/**
 * A listed feature as the CLI and MCP take it, from the server's list or the engine's own (one
 * path for both): its input JSON schema without `webhook_url` (they wait for the result themselves)
 * and `$schema`, each image field a string (see `parseStudioImage`), a list image field an array of
 * them (see {@link isImageList}).
 *
 * @example
 * toStudioFeature(toFeatureInfo(upscaleFeature, '')).input_schema.properties.scale; // { enum: [2, 4], default: 2, … }
 */
export function toStudioFeature(feature: ListedFeature): StudioFeature {
  const { $schema: _dialect, properties = {}, required, ...rest } = feature.input_schema as JsonSchema & { properties?: Record<string, JsonSchema>; required?: string[] };
  const { webhook_url: _webhook, ...fields } = properties;
  for (const field of feature.image_fields) {
    const described = fields[field]?.description;
    const text = { type: 'string', description: `${described && !/^An image:/.test(described) ? `${described}. ` : ''}An image: ${studioImageForms}` };
    fields[field] = takesArray(fields[field]) ? { type: 'array', items: { type: 'string' }, description: `${text.description} (one or more)` } : text;
  }
  const input_schema = { ...rest, type: 'object', properties: fields, ...(required ? { required: required.filter((name) => name !== 'webhook_url') } : {}) };
  return { id: feature.id, description: feature.description, input_schema, image_fields: feature.image_fields };
}

/** Whether a studio feature's image field takes a list of images (an array of image strings in its schema). */
export function isImageList(feature: StudioFeature, field: string): boolean {
  return feature.image_fields.includes(field) && feature.input_schema.properties?.[field]?.type === 'array';
}

/** The image field a command line's first free word fills: the feature's first required one, if any. */
export function firstRequiredImageField(feature: StudioFeature): string | undefined {
  const required = new Set(feature.input_schema.required ?? []);
  return feature.image_fields.find((field) => required.has(field));
}

import { z } from 'zod';
import type { AnyFeature } from '@darkroom/core';
import { studioImageForms } from './parse-studio-image.js';
import type { JsonSchema, StudioFeature } from './studio.js';

/** Input fields that hold images, as the HTTP API names them. */
const imageFieldNames = ['image', 'mask'];

/**
 * A feature's input JSON schema as the CLI and MCP take it: the feature's own (zod's JSON Schema for
 * input, so defaults are shown and optional fields are not required), with each image field a string
 * (see `parseStudioImage`) and no `$schema`.
 *
 * @example
 * studioInputSchema(upscaleFeature.input).properties.scale; // { enum: [2, 4], default: 2, … } (as zod writes it)
 */
export function studioInputSchema(schema: JsonSchema): { schema: StudioFeature['input_schema']; imageFields: string[] } {
  const { $schema: _dialect, ...rest } = schema as JsonSchema & { properties?: Record<string, JsonSchema> };
  const properties = { ...(rest.properties as Record<string, JsonSchema> | undefined) };
  const imageFields = imageFieldNames.filter((field) => field in properties);
  for (const field of imageFields) {
    const described = properties[field]!.description;
    properties[field] = { type: 'string', description: `${described && !/^An image:/.test(described) ? `${described}. ` : ''}An image: ${studioImageForms}` };
  }
  return { schema: { ...rest, type: 'object', properties }, imageFields };
}

/** A registered feature as the CLI and MCP show it (see `StudioFeature`). */
export function toStudioFeature(feature: AnyFeature): StudioFeature {
  const { schema, imageFields } = studioInputSchema(z.toJSONSchema(feature.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
  return { id: feature.id, description: feature.description, input_schema: schema, image_fields: imageFields };
}

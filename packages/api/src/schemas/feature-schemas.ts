import { z } from 'zod';
import { attempt, imageReference } from './common-schemas.js';

export const featureResult = z
  .object({
    job_id: z.string(),
    feature: z.string(),
    images: z.array(imageReference),
    image_url: z.string().nullable().describe('The first image, for convenience'),
    provider: z.string(),
    model: z.string(),
    seed: z.number().optional(),
    metadata: z.record(z.string(), z.unknown()),
    attempts: z.array(attempt),
  })
  .meta({ id: 'FeatureResult' });

/** A registered feature as `GET /v1/features` lists it (plugins' included). */
export const featureInfo = z
  .object({
    id: z.string().describe('The feature id, e.g. upscale'),
    route: z.string().describe('Its route name: POST /v1/features/{route}'),
    path: z.string().describe('Its path under the server\'s base path'),
    title: z.string(),
    description: z.string(),
    capability: z.string().describe('The provider capability it uses, e.g. image.upscale'),
    input_schema: z.record(z.string(), z.unknown()).describe('JSON Schema (draft 2020-12) of the body its route takes, image fields included'),
    image_fields: z
      .array(z.string())
      .describe('Body fields that take an image, whatever their names (a file in multipart/form-data, an http(s) URL, a data URI, {base64, mime_type} or {asset_id}); a field whose input_schema is an array takes a list of them (repeated file parts). Each is marked "x-darkroom-image": true in input_schema (on the items of a list)'),
    async: z.boolean().describe('Whether `Prefer: respond-async` is accepted (answers 202 and a job)'),
  })
  .meta({ id: 'FeatureInfo' });

export const featureList = z.object({ features: z.array(featureInfo) }).meta({ id: 'FeatureList' });

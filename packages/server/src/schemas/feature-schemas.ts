import { imageInput } from '@darkroom/core';
import { z } from 'zod';
import { attempt, imageReference } from './common-schemas.js';

/** The engine's image forms (data URI, {base64, mime_type}, {asset_id}); routes add http(s) URLs. */
export const featureImage = imageInput;

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

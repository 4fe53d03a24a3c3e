import { z } from 'zod';
import { imageMimeTypes } from '../spec/image-data.js';

/** One image a feature produced, before the engine stores it. */
export const producedImage = z.object({
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes must be a Uint8Array'),
  mimeType: z.enum(imageMimeTypes),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

/**
 * What every image feature returns from `run()`; validated on the way out.
 * The engine stores the images and answers with asset references instead of bytes.
 */
export const imageFeatureOutput = z.object({
  images: z.array(producedImage).min(1),
  provider: z.string().min(1),
  model: z.string().min(1),
  seed: z.number().int().optional(),
  /**
   * The prompt the images were drawn from, when the feature built one itself (from properties,
   * say): recorded as the gallery's refined prompt instead of the input's `prompt` field.
   */
  prompt: z.string().max(20_000).optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export type ImageFeatureOutput = z.input<typeof imageFeatureOutput>;

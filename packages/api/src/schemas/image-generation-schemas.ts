import { maxPromptLength } from '@darkroom/plugin-api';
import { z } from 'zod';
import { attempt, imageReference } from './common-schemas.js';

/** The text-to-image request: a prompt and size as `width`/`height` or `size: "512x512"`. */
export const generateRequest = z
  .object({
    prompt: z.string().trim().min(1, 'must not be empty').max(maxPromptLength),
    negative_prompt: z.string().max(maxPromptLength).optional(),
    width: z.number().int().min(64).max(2048).optional(),
    height: z.number().int().min(64).max(2048).optional(),
    size: z.string().regex(/^\d{2,4}x\d{2,4}$/, 'must look like 512x512').optional().describe('"WIDTHxHEIGHT", e.g. "512x512" (instead of width and height)'),
    aspect_ratio: z.enum(['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '21:9']).optional(),
    style: z.string().max(100).optional().describe('Appended to the prompt as "<style> style"'),
    seed: z.number().int().min(0).max(2_147_483_647).optional(),
    num_images: z.number().int().min(1).max(4).optional(),
    n: z.number().int().min(1).max(4).optional().describe('The images service\'s name for num_images'),
    steps: z.number().int().min(1).max(100).optional().describe('Denoising steps (generative models; e.g. a local diffusion model, Runware)'),
    num_inference_steps: z.number().int().min(1).max(100).optional().describe('The images service\'s name for steps'),
    guidance: z.number().min(0).max(30).optional().describe('Guidance scale: how strictly the image follows the prompt'),
    guidance_scale: z.number().min(0).max(30).optional().describe('The images service\'s name for guidance'),
    provider: z.string().max(100).optional(),
    model: z.string().max(200).optional(),
    image_type: z.string().max(100).optional().describe('Accepted for compatibility with the images service; not used'),
    format: z.enum(['png', 'jpeg', 'webp']).optional(),
    response_format: z.enum(['url', 'b64_json']).default('url').describe('b64_json also returns the bytes as image_bytes'),
  })
  .strict();

export const generateResponse = z
  .object({
    success: z.literal(true),
    request_id: z.string().describe('The job id'),
    image_url: z.string(),
    image_path: z.string().describe('The same as image_url (the images service\'s name for it)'),
    image_bytes: z.string().optional().describe('Base64 image (response_format b64_json)'),
    images: z.array(imageReference),
    service: z.string().describe('The provider that made it'),
    model: z.string(),
    generation_time: z.number().describe('Seconds'),
    metadata: z.looseObject({ width: z.number().int(), height: z.number().int(), processing_time: z.number(), seed: z.number().optional() }),
    attempts: z.array(attempt),
  })
  .meta({ id: 'ImageGenerationResult' });

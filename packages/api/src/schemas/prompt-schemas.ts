import { maxPromptLength } from '@darkroom/plugin-api';
import { z } from 'zod';

const prompt = z.string().trim().min(1, 'must not be empty').max(maxPromptLength);

export const refineRequest = z
  .object({
    original_prompt: prompt.optional().describe('The prompt (the prompt-refinement service\'s name for it)'),
    prompt: prompt.optional().describe('Also accepted'),
    context: z.object({ style: z.string().max(100).optional().describe('e.g. realistic, anime, watercolor, cinematic') }).loose().optional(),
  })
  .strict()
  .refine((body) => body.original_prompt !== undefined || body.prompt !== undefined, { message: 'original_prompt is required', path: ['original_prompt'] });

export const refinement = z
  .object({
    original_prompt: z.string(),
    refined_prompt: z.string(),
    negative_prompt: z.string(),
    confidence_score: z.number(),
    method_used: z.string(),
    processing_time: z.number(),
    suggestions: z.array(z.string()),
    metadata: z.object({ style: z.string().nullable(), added_keywords: z.array(z.string()), translated_terms: z.array(z.string()) }),
    intent: z.object({ name: z.string().nullable(), feature: z.string().nullable(), confidence: z.number() }).optional().describe('What the chat flow would do with this text'),
  })
  .meta({ id: 'Refinement' });

export const validateRequest = z.object({ prompt }).strict();

export const validation = z
  .object({ valid: z.boolean(), issues: z.array(z.string()), warnings: z.array(z.string()), suggestions: z.array(z.string()), word_count: z.number().int(), character_count: z.number().int() })
  .meta({ id: 'PromptValidation' });

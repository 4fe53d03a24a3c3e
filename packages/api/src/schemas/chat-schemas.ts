import { maxMessageLength, maxMessagePage, maxSessionDescriptionLength, maxSessionPage, maxSessionTitleLength } from '@darkroom/plugin-api';
import { z } from 'zod';
import { imageOrUrlInput, imageReference, webhookUrl } from './common-schemas.js';

export const session = z
  .object({
    session_id: z.string(),
    id: z.string(),
    user_id: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable().describe('What the conversation is about'),
    latest_asset_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string().describe('When the session was last active: created, a message sent, an image made, renamed or described'),
  })
  .meta({ id: 'Session' });

const sessionTitle = z.string().max(maxSessionTitleLength).nullable().describe(`At most ${maxSessionTitleLength} characters, stored trimmed; null for none (text that shows nothing, only spaces or invisible characters, is refused)`);
const sessionDescription = z.string().max(maxSessionDescriptionLength).nullable().describe(`What the conversation is about, at most ${maxSessionDescriptionLength} characters, stored trimmed; null for none (text that shows nothing is refused)`);

export const newSession = z.object({ title: sessionTitle.optional(), description: sessionDescription.optional() }).strict();

/** PATCH body of a session: the fields given are set (null clears one), the others kept; at least one. */
export const sessionChanges = z
  .object({ title: sessionTitle.optional(), description: sessionDescription.optional() })
  .strict()
  .refine((changes) => changes.title !== undefined || changes.description !== undefined, { message: 'nothing to change: give title or description (a string, or null to clear it)' });

export const sessionPage = z
  .object({
    sessions: z.array(session).describe('Most recently active first'),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'SessionPage' });

export const sessionQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(maxSessionPage).optional().describe(`Sessions per page (default 20, at most ${maxSessionPage})`),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
  })
  .strict();

export const sendMessage = z
  .object({
    content: z.string().max(maxMessageLength).default('').describe('What the user says, in English or Vietnamese'),
    image: imageOrUrlInput.optional().describe('An image to work on (else the session\'s latest image)'),
    mask: imageOrUrlInput.optional().describe('White where objects should be removed'),
    webhook_url: webhookUrl,
  })
  .strict();

export const sentMessage = z.object({ message_id: z.string(), user_message_id: z.string(), job_id: z.string(), status: z.literal('PROCESSING') }).meta({ id: 'SentMessage' });

export const message = z
  .object({
    message_id: z.string().optional(),
    id: z.string(),
    session_id: z.string(),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    status: z.enum(['PROCESSING', 'DONE', 'FAILED']).nullable(),
    asset_id: z.string().nullable(),
    job_id: z.string().nullable(),
    intents: z
      .array(
        z.object({
          intent: z.string(),
          feature: z.string().describe('The feature this step runs (or would run)'),
          confidence: z.number().describe('0..1'),
          parameters: z.record(z.string(), z.unknown()).optional().describe('Read from the words (e.g. num_images, scale, style) and, for a step that ran, the prompt it ran with; image and mask references left out'),
        }),
      )
      .optional()
      .describe('One entry per step the message asked for, in order'),
    confidence: z.number().optional(),
    detector: z.string().optional(),
    refined_prompt: z.string().optional(),
    negative_prompt: z.string().optional(),
    images: z.array(imageReference.extend({ feature: z.string() })).optional(),
    clarification: z.string().optional().describe('Set when nothing ran: the question asked instead'),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    image_url: z.string().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Message' });

export const history = z
  .object({
    session_id: z.string(),
    messages: z.array(message).describe('In the order asked for: newest first by default'),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'MessagePage' });

export const historyQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(maxMessagePage).optional().describe('Messages per page (default 50)'),
    order: z.enum(['asc', 'desc']).optional().describe('`desc` (default): newest first, paging back in time; `asc`: oldest first'),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous page (a message id of the session): the page starts after it'),
  })
  .strict();

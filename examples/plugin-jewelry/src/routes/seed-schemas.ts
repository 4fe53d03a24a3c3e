import { maxMessageLength, maxSessionDescriptionLength, maxSessionPage, maxSessionTitleLength, z } from '@darkroom/plugin-api';
import { checkKarat, jewelryProperties, renderTypes } from '../jewelry-properties.js';

// The wire shapes of seed 004's API (snake_case, ISO 8601 times), as its clients read them.

const isoTime = z.string().describe('ISO 8601 time');

/** A conversation (a Darkroom chat session). */
export const conversation = z.object({
  id: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  created_at: isoTime,
  updated_at: isoTime,
});

/** One message of a conversation. */
export const conversationMessage = z.object({
  id: z.string(),
  conversation_id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  /** The assistant's turn: PROCESSING, DONE or FAILED; null for the user's messages. */
  status: z.enum(['PROCESSING', 'DONE', 'FAILED']).nullable(),
  images: z.array(z.string()).describe('URLs of the images the message carries or made'),
  metadata: z.object({
    refined_prompt: z.string().optional(),
    clarification: z.string().optional().describe('The question the assistant asked instead of designing'),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  created_at: isoTime,
});

/** A generated image with the jewellery properties it was made from. */
export const generatedImage = z.object({
  id: z.string().describe('Gallery id'),
  asset_id: z.string(),
  conversation_id: z.string().nullable(),
  message_id: z.string().nullable(),
  image_type: z.enum(renderTypes).nullable().describe('2d sketch or 3d render; null for an image another feature made'),
  prompt: z.string().nullable().describe('The prompt the design was drawn from'),
  image_url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  properties: z.record(z.string(), z.unknown()).nullable().describe('The jewellery properties; null for an image another feature made'),
  created_at: isoTime,
});

const title = z.string().trim().min(1).max(maxSessionTitleLength).nullable();
const description = z.string().trim().max(maxSessionDescriptionLength).nullable();

export const newConversation = z.object({ title: title.optional(), description: description.optional() }).strict();

export const conversationChanges = z
  .object({ title: title.optional(), description: description.optional() })
  .strict()
  .refine((changes) => changes.title !== undefined || changes.description !== undefined, 'give title, description or both');

export const conversationPage = z.object({ conversations: z.array(conversation), next_cursor: z.string().nullable() });

export const conversationQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(maxSessionPage).optional().describe(`Conversations per page, 1..${maxSessionPage} (default 20)`),
    cursor: z.string().max(500).optional().describe('next_cursor of the previous page'),
  })
  .strict();

export const conversationWithMessages = conversation.extend({
  messages: z.array(conversationMessage).describe('The latest messages, oldest first'),
  earlier_messages: z.boolean().describe('Whether older messages exist (GET /api/v1/chat/sessions/{id}/messages pages through all)'),
});

export const chatRequest = z
  .object({
    conversation_id: z.string().min(1).max(100).optional().describe('The conversation to continue; a new one is started when left out'),
    message: z.string().trim().min(1).max(maxMessageLength),
  })
  .strict();

export const chatResponse = z.object({
  conversation_id: z.string(),
  user_message: conversationMessage,
  assistant_message: conversationMessage,
  generated_images: z.array(generatedImage),
});

/** The properties of a direct design (no other keys: the route says 2d or 3d, the body how many). */
export const designProperties = jewelryProperties.omit({ render: true }).strict().superRefine(checkKarat);

export const generateRequest = z
  .object({
    prompt: z.string().trim().max(1000).optional().describe('More about the design in words'),
    properties: designProperties,
    variations: z.number().int().min(1).max(4).optional(),
    seed: z.number().int().min(0).max(2_147_483_647).optional(),
  })
  .strict();

export const generateResponse = z.object({ success: z.literal(true), images: z.array(generatedImage) });

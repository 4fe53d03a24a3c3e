import type { history, message } from '@darkroom/api';
import type { z } from 'zod';
import type { DetectedIntentRecord, Message, MessagePage } from '@darkroom/core';
import { isoTime } from './iso-time.js';
import { toWireMessageImage } from './to-wire-image-reference.js';
import { wireAssetUrl } from './wire-asset-url.js';

/**
 * A chat message as the API writes it (`Message`): seed 000's record, with what the assistant
 * decided and made (`intents`, `refined_prompt`, `images`, `image_url`, …) beside the message's own
 * fields; those are present only when set. The owner is not written.
 */
export type WireMessage = Omit<z.output<typeof message>, 'message_id'>;

/** One recorded intent; its `parameters` are the feature's input fields, passed through as they are. */
const toWireIntent = (record: DetectedIntentRecord): DetectedIntentRecord => ({
  intent: record.intent,
  feature: record.feature,
  confidence: record.confidence,
  ...(record.parameters !== undefined ? { parameters: record.parameters } : {}),
});

/**
 * A message; its `images[].url` and `image_url` under the server's base path (see wireAssetUrl), its
 * content and prompts as they were written.
 *
 * @example
 * toWireMessage(await engine.chat.message(userId, sessionId, id), '/studio').image_url;
 */
export function toWireMessage(message: Message, basePath = ''): WireMessage {
  const { data } = message;
  return {
    id: message.id,
    session_id: message.sessionId,
    role: message.role,
    content: message.content,
    status: message.status,
    asset_id: message.assetId,
    job_id: message.jobId,
    ...(data.intents !== undefined ? { intents: data.intents.map(toWireIntent) } : {}),
    ...(data.confidence !== undefined ? { confidence: data.confidence } : {}),
    ...(data.detector !== undefined ? { detector: data.detector } : {}),
    ...(data.refinedPrompt !== undefined ? { refined_prompt: data.refinedPrompt } : {}),
    ...(data.negativePrompt !== undefined ? { negative_prompt: data.negativePrompt } : {}),
    ...(data.images !== undefined ? { images: data.images.map((image) => toWireMessageImage(image, basePath)) } : {}),
    ...(data.clarification !== undefined ? { clarification: data.clarification } : {}),
    ...(data.error !== undefined ? { error: { code: data.error.code, message: data.error.message } } : {}),
    ...(data.imageUrl !== undefined ? { image_url: wireAssetUrl(data.imageUrl, basePath) } : {}),
    created_at: isoTime(message.createdAt),
    updated_at: isoTime(message.updatedAt),
  };
}

/** A page of a session's messages (`MessagePage`): `{ session_id, messages, next_cursor }`. */
export type WireMessagePage = z.output<typeof history>;

/**
 * @example
 * toWireMessagePage(sessionId, await engine.chat.history(userId, sessionId, { limit: 20 }));
 */
export function toWireMessagePage(sessionId: string, page: MessagePage, basePath = ''): WireMessagePage {
  return { session_id: sessionId, messages: page.messages.map((message) => toWireMessage(message, basePath)), next_cursor: page.nextCursor };
}

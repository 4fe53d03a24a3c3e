import type { DetectedIntentRecord, MessageData, MessageImage } from './conversation-store.js';

/**
 * What the assistant decided and produced, as a conversation store keeps it: seed 000's snake_case
 * record (`refined_prompt`, `image_url`, …), the same in every store so rows and documents written
 * earlier still read. The SQL stores keep it as the JSON text of `messages.data`; the MongoDB store
 * flattens it into the message element. Only the fields that are set are stored.
 */
export interface StoredMessageData {
  intents?: DetectedIntentRecord[];
  confidence?: number;
  detector?: string;
  refined_prompt?: string;
  negative_prompt?: string;
  images?: StoredMessageImage[];
  clarification?: string;
  error?: { code: string; message: string };
  image_url?: string;
}

/** An image of an assistant message as stored: ids and URL, never bytes. */
export interface StoredMessageImage {
  asset_id: string;
  gallery_id: string;
  url: string;
  /** Pixels. */
  width: number;
  height: number;
  mime_type: string;
  feature: string;
}

/** Every field stored data may hold (e.g. what completing a message must clear when its new data leaves it out). */
export const storedMessageDataFields = ['intents', 'confidence', 'detector', 'refined_prompt', 'negative_prompt', 'images', 'clarification', 'error', 'image_url'] as const satisfies readonly (keyof StoredMessageData)[];

const storedIntent = (record: DetectedIntentRecord): DetectedIntentRecord => ({
  intent: record.intent,
  feature: record.feature,
  confidence: record.confidence,
  ...(record.parameters !== undefined ? { parameters: record.parameters } : {}),
});

/**
 * @example
 * toStoredMessageData({ refinedPrompt: 'a red fox', imageUrl: '/v1/assets/ast_1' });
 * // { refined_prompt: 'a red fox', image_url: '/v1/assets/ast_1' }
 */
export function toStoredMessageData(data: MessageData): StoredMessageData {
  return {
    ...(data.intents !== undefined ? { intents: data.intents.map(storedIntent) } : {}),
    ...(data.confidence !== undefined ? { confidence: data.confidence } : {}),
    ...(data.detector !== undefined ? { detector: data.detector } : {}),
    ...(data.refinedPrompt !== undefined ? { refined_prompt: data.refinedPrompt } : {}),
    ...(data.negativePrompt !== undefined ? { negative_prompt: data.negativePrompt } : {}),
    ...(data.images !== undefined
      ? { images: data.images.map((image) => ({ asset_id: image.assetId, gallery_id: image.galleryId, url: image.url, width: image.width, height: image.height, mime_type: image.mimeType, feature: image.feature })) }
      : {}),
    ...(data.clarification !== undefined ? { clarification: data.clarification } : {}),
    ...(data.error !== undefined ? { error: { code: data.error.code, message: data.error.message } } : {}),
    ...(data.imageUrl !== undefined ? { image_url: data.imageUrl } : {}),
  };
}

/**
 * A message's data from what a store kept; other fields beside it (a MongoDB message element's own)
 * are ignored, and so is a field stored as null (a server may answer an unset field so).
 */
export function fromStoredMessageData(stored: StoredMessageData): MessageData {
  const image = (row: StoredMessageImage): MessageImage => ({
    assetId: row.asset_id,
    galleryId: row.gallery_id,
    url: row.url,
    width: row.width,
    height: row.height,
    mimeType: row.mime_type,
    feature: row.feature,
  });
  return {
    ...(stored.intents != null ? { intents: stored.intents.map(storedIntent) } : {}),
    ...(stored.confidence != null ? { confidence: stored.confidence } : {}),
    ...(stored.detector != null ? { detector: stored.detector } : {}),
    ...(stored.refined_prompt != null ? { refinedPrompt: stored.refined_prompt } : {}),
    ...(stored.negative_prompt != null ? { negativePrompt: stored.negative_prompt } : {}),
    ...(stored.images != null ? { images: stored.images.map(image) } : {}),
    ...(stored.clarification != null ? { clarification: stored.clarification } : {}),
    ...(stored.error != null ? { error: { code: stored.error.code, message: stored.error.message } } : {}),
    ...(stored.image_url != null ? { imageUrl: stored.image_url } : {}),
  };
}

import type { DetectedIntentRecord, MessageData, MessageImage } from './conversation-store.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';

/** How `messages.data` is stored: seed 000's snake_case record, kept so rows written earlier still read. */
interface StoredMessageData {
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

interface StoredMessageImage {
  asset_id: string;
  gallery_id: string;
  url: string;
  width: number;
  height: number;
  mime_type: string;
  feature: string;
}

const storedIntent = (record: DetectedIntentRecord): DetectedIntentRecord => ({
  intent: record.intent,
  feature: record.feature,
  confidence: record.confidence,
  ...(record.parameters !== undefined ? { parameters: record.parameters } : {}),
});

/** The JSON text of `messages.data` for a message's data. */
export function toMessageDataColumn(data: MessageData): string {
  const stored: StoredMessageData = {
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
  return toJsonColumn(stored);
}

/** A message's data from the JSON text of `messages.data`. */
export function fromMessageDataColumn(text: string | null): MessageData {
  const stored = fromJsonColumn<StoredMessageData | null>(text) ?? {};
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
    ...(stored.intents !== undefined ? { intents: stored.intents.map(storedIntent) } : {}),
    ...(stored.confidence !== undefined ? { confidence: stored.confidence } : {}),
    ...(stored.detector !== undefined ? { detector: stored.detector } : {}),
    ...(stored.refined_prompt !== undefined ? { refinedPrompt: stored.refined_prompt } : {}),
    ...(stored.negative_prompt !== undefined ? { negativePrompt: stored.negative_prompt } : {}),
    ...(stored.images !== undefined ? { images: stored.images.map(image) } : {}),
    ...(stored.clarification !== undefined ? { clarification: stored.clarification } : {}),
    ...(stored.error !== undefined ? { error: { code: stored.error.code, message: stored.error.message } } : {}),
    ...(stored.image_url !== undefined ? { imageUrl: stored.image_url } : {}),
  };
}

import type { galleryItem } from '@darkroom/api';
import type { z } from 'zod';
import { metadataWithOrigin, type GalleryItem, type GalleryPage } from '@darkroom/core';
import { isoTime, isoTimeOrNull } from './iso-time.js';
import { wireAssetUrl } from './wire-asset-url.js';

/**
 * A gallery row as the API writes it (`GalleryItem`, seed 001's record). `metadata` is the item's
 * metadata as it was recorded, with the origin in it: `source`, and `session_id` / `message_id` for
 * images a chat turn made.
 */
export type WireGalleryItem = z.output<typeof galleryItem>;

/**
 * A gallery row; its `image_url` under the server's base path (see wireAssetUrl), the rest (the
 * prompt, intent and metadata the user gave) as it was recorded.
 *
 * @example
 * toWireGalleryItem(await engine.gallery.get(userId, id), '/studio').metadata.source; // 'chat' or 'direct'
 */
export function toWireGalleryItem(item: GalleryItem, basePath = ''): WireGalleryItem {
  return {
    id: item.id,
    user_id: item.userId,
    asset_id: item.assetId,
    image_url: wireAssetUrl(item.imageUrl, basePath),
    refined_prompt: item.refinedPrompt,
    intent: item.intent,
    feature: item.feature,
    provider: item.provider,
    model: item.model,
    seed: item.seed,
    metadata: metadataWithOrigin(item),
    created_at: isoTime(item.createdAt),
    deleted_at: isoTimeOrNull(item.deletedAt),
  };
}

/** A page of the gallery (`GalleryPage`): `{ items, next_cursor }`. */
export function toWireGalleryPage(page: GalleryPage, basePath = ''): { items: WireGalleryItem[]; next_cursor: string | null } {
  return { items: page.items.map((item) => toWireGalleryItem(item, basePath)), next_cursor: page.nextCursor };
}

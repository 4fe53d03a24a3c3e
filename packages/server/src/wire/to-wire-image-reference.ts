import type { ImageReference, MessageImage } from '@darkroom/core';

/** A stored image as the API writes it (`ImageReference` in the OpenAPI document). */
export interface WireImageReference {
  asset_id: string;
  gallery_id: string;
  url: string;
  width: number;
  height: number;
  mime_type: string;
}

/**
 * @example
 * toWireImageReference({ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 64, height: 64, mimeType: 'image/png' });
 * // { asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 64, height: 64, mime_type: 'image/png' }
 */
export function toWireImageReference(image: ImageReference): WireImageReference {
  return { asset_id: image.assetId, gallery_id: image.galleryId, url: image.url, width: image.width, height: image.height, mime_type: image.mimeType };
}

/** An image a chat turn made, with the feature that made it. */
export function toWireMessageImage(image: MessageImage): WireImageReference & { feature: string } {
  return { ...toWireImageReference(image), feature: image.feature };
}

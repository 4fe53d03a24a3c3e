import type { imageReference } from '@darkroom/api';
import type { z } from 'zod';
import type { ImageReference, MessageImage } from '@darkroom/core';
import { wireAssetUrl } from './wire-asset-url.js';

/** A stored image as the API writes it (`ImageReference` in the OpenAPI document). */
export type WireImageReference = z.output<typeof imageReference>;

/**
 * A stored image, its `url` under the server's base path (see wireAssetUrl).
 *
 * @example
 * toWireImageReference({ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 64, height: 64, mimeType: 'image/png' }, '/studio');
 * // { asset_id: 'ast_1', gallery_id: 'img_1', url: '/studio/v1/assets/ast_1', width: 64, height: 64, mime_type: 'image/png' }
 */
export function toWireImageReference(image: ImageReference, basePath = ''): WireImageReference {
  return { asset_id: image.assetId, gallery_id: image.galleryId, url: wireAssetUrl(image.url, basePath), width: image.width, height: image.height, mime_type: image.mimeType };
}

/** An image a chat turn made, with the feature that made it. */
export function toWireMessageImage(image: MessageImage, basePath = ''): WireImageReference & { feature: string } {
  return { ...toWireImageReference(image, basePath), feature: image.feature };
}

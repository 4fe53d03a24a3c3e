import type { GalleryItem, GallerySource } from './gallery-store.js';

/**
 * A gallery item's metadata with its origin merged in, as seed 001 records it: `source`, and
 * `session_id` / `message_id` for an image a chat turn made. The SQL gallery stores it so in
 * `gallery.metadata` (rows written earlier still read) and the API writes it so.
 *
 * @example
 * metadataWithOrigin({ metadata: { steps: 30 }, origin: { source: 'chat', sessionId: 'ses_1', messageId: 'msg_2' } });
 * // { steps: 30, source: 'chat', session_id: 'ses_1', message_id: 'msg_2' }
 */
export function metadataWithOrigin({ metadata, origin }: Pick<GalleryItem, 'metadata' | 'origin'>): Record<string, unknown> & { source: GallerySource } {
  return origin.source === 'chat' ? { ...metadata, source: 'chat', session_id: origin.sessionId, message_id: origin.messageId } : { ...metadata, source: 'direct' };
}

/** Image formats the engine reads and writes. */
export const imageMimeTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'] as const;
export type ImageMimeType = (typeof imageMimeTypes)[number];

/** Decoded-enough image bytes as features and providers pass them around. Never stored in rows. */
export interface ImageData {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  width: number;
  height: number;
}

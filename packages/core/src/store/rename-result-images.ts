/**
 * A feature or chat job's result (or a feature step's output) as stored before the domain types were
 * camelCase, rewritten in today's shape: its `images` name `assetId`, `galleryId` and `mimeType`.
 * Everything else is kept as it is; text without such images comes back unchanged.
 *
 * @example
 * renameResultImages('{"images":[{"asset_id":"ast_1","gallery_id":"img_1","url":"/v1/assets/ast_1","width":2,"height":2,"mime_type":"image/png"}]}');
 * // '{"images":[{"assetId":"ast_1","galleryId":"img_1","url":"/v1/assets/ast_1","width":2,"height":2,"mimeType":"image/png"}]}'
 */
export function renameResultImages(text: string): string {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { images?: unknown }).images)) return text;
  const images = (value as { images: unknown[] }).images.map((image) => {
    if (typeof image !== 'object' || image === null || !('asset_id' in image)) return image;
    const { asset_id: assetId, gallery_id: galleryId, mime_type: mimeType, ...rest } = image as Record<string, unknown>;
    return { assetId, galleryId, url: rest.url, width: rest.width, height: rest.height, mimeType, ...rest };
  });
  return JSON.stringify({ ...value, images });
}

import { DarkroomError, defaultImageLimits, sniffImageType, type ImageField } from '@darkroom/core';
import { fetchPublicUrl, type PublicFetchOptions } from './fetch-public-url.js';

export interface ImageUrlPolicy extends Omit<PublicFetchOptions, 'method' | 'body' | 'headers'> {
  /**
   * Most images one request may carry (inline, uploaded or by URL, every image field and list item
   * counted), at most `multipartLimits.files` (16). `darkroom serve`: DARKROOM_MAX_IMAGES_PER_REQUEST.
   */
  maxImages: number;
}

/**
 * The policy a server starts from: images as large as the engine takes, 15 s and 3 redirects per
 * fetch, and 8 images per request, room for a feature's image and a list of references (lists of
 * 4 are common) with a mask.
 */
export const defaultImageUrlPolicy: ImageUrlPolicy = { maxBytes: defaultImageLimits.maxBytes, timeoutMs: 15_000, maxRedirects: 3, maxImages: 8 };

const isImageValue = (value: unknown) => (typeof value === 'string' && value.length > 0) || (typeof value === 'object' && value !== null);

/**
 * Fetches one user-given image URL safely and answers its bytes, as they came, with their type
 * sniffed from them.
 *
 * @throws DarkroomError `invalid_input` (`details.reason` `http_status`) for an answer that is not
 * 2xx; `unsupported_media_type` (`not_an_image`) when the bytes are no supported image; and what
 * {@link fetchPublicUrl} throws (address not allowed, too large, too slow).
 */
export async function fetchImageBytes(url: string, policy: ImageUrlPolicy): Promise<{ bytes: Uint8Array; mimeType: string }> {
  const answer = await fetchPublicUrl(url, policy).catch((error: unknown) => {
    // An image the server may not fetch (a private or loopback address) can still be sent: say how.
    if (DarkroomError.isInstance(error) && error.details?.reason === 'address_not_allowed') {
      throw new DarkroomError({ code: error.code, message: `${error.message}: only public addresses are fetched; send the image itself instead (a multipart file part, or a data URI)`, details: error.details });
    }
    throw error;
  });
  if (answer.status < 200 || answer.status >= 300) {
    throw new DarkroomError({ code: 'invalid_input', message: `The image URL answered HTTP ${answer.status}`, details: { reason: 'http_status', status: answer.status } });
  }
  const mimeType = sniffImageType(answer.bytes);
  if (!mimeType) {
    throw new DarkroomError({ code: 'unsupported_media_type', message: `The URL did not answer a PNG, JPEG, WebP, AVIF, GIF or TIFF image (it said ${String(answer.headers['content-type'] ?? 'nothing')})`, details: { reason: 'not_an_image' } });
  }
  return { bytes: answer.bytes, mimeType };
}

/**
 * Counts the images a body carries in its image fields (`imageFieldsOf` the route's body: each item
 * of a list counts) and replaces every http(s) image URL by the fetched image's bytes (a
 * `Uint8Array`, as an upload is: the engine stores bytes as they are, see `engine.run`). Nothing is
 * stored here.
 *
 * @throws DarkroomError `invalid_input` beyond `policy.maxImages` images, or for a URL of another
 * scheme; what {@link fetchImageBytes} throws, with the field named (`details.field`, e.g. `references[1]`).
 */
export async function resolveImageUrls(body: Record<string, unknown>, options: { fields: readonly ImageField[]; policy: ImageUrlPolicy }): Promise<Record<string, unknown>> {
  const { fields, policy } = options;
  const itemsOf = (name: string, list: boolean): unknown[] => (list && Array.isArray(body[name]) ? (body[name] as unknown[]) : [body[name]]);
  const count = fields.reduce((sum, { name, list }) => sum + itemsOf(name, list).filter(isImageValue).length, 0);
  if (count > policy.maxImages) {
    throw new DarkroomError({
      code: 'invalid_input',
      message: `At most ${policy.maxImages} image${policy.maxImages === 1 ? '' : 's'} per request (this one has ${count}): send fewer, or raise the server's limit (DARKROOM_MAX_IMAGES_PER_REQUEST for darkroom serve; createServer's imageUrls.maxImages)`,
      details: { maxImages: policy.maxImages, setting: 'DARKROOM_MAX_IMAGES_PER_REQUEST' },
    });
  }
  const fetched = async (item: unknown, field: string): Promise<unknown> => {
    if (typeof item === 'string' && /^https?:\/\//i.test(item)) return (await fetchImageBytes(item, policy).catch((error: unknown) => Promise.reject(atField(error, field)))).bytes;
    if (typeof item === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(item)) {
      throw new DarkroomError({ code: 'invalid_input', message: `${field}: only http and https image URLs are fetched`, details: { reason: 'scheme_not_allowed', field } });
    }
    return item;
  };
  const resolved = { ...body };
  for (const { name, list } of fields) {
    if (!Object.hasOwn(body, name)) continue;
    if (list && Array.isArray(body[name])) {
      const items: unknown[] = [];
      for (const [index, item] of (body[name] as unknown[]).entries()) items.push(await fetched(item, `${name}[${index}]`));
      resolved[name] = items;
    } else resolved[name] = await fetched(body[name], name);
  }
  return resolved;
}

/** A DarkroomError about one image with its field named (`reference: …`, `details.field`). */
function atField(error: unknown, field: string): unknown {
  if (!DarkroomError.isInstance(error)) return error;
  return new DarkroomError({ code: error.code, message: `${field}: ${error.message}`, retryable: error.retryable, details: { ...error.details, field }, cause: error });
}

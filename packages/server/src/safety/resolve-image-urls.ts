import { DarkroomError, sniffImageType } from '@darkroom/core';
import { fetchPublicUrl, type PublicFetchOptions } from './fetch-public-url.js';

/** Body fields that carry images. */
export const imageFields = ['image', 'mask'] as const;

export interface ImageUrlPolicy extends Omit<PublicFetchOptions, 'method' | 'body' | 'headers'> {
  /** Most images one request may carry (inline, uploaded or by URL). */
  maxImages: number;
}

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
      throw new DarkroomError({ code: error.code, message: `${error.message}: only public addresses are fetched; send the image itself instead (a multipart file part named "image", or a data URI)`, details: error.details });
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
 * Counts the images a body carries and replaces every http(s) image URL by the fetched image's bytes
 * (a `Uint8Array`, as an upload is: the engine stores bytes as they are, see `engine.run`).
 * Nothing is stored here.
 */
export async function resolveImageUrls(body: Record<string, unknown>, policy: ImageUrlPolicy): Promise<Record<string, unknown>> {
  const present = imageFields.filter((field) => isImageValue(body[field]));
  if (present.length > policy.maxImages) {
    throw new DarkroomError({ code: 'invalid_input', message: `At most ${policy.maxImages} images per request`, details: { maxImages: policy.maxImages } });
  }
  const resolved = { ...body };
  for (const field of present) {
    const value = body[field];
    if (typeof value === 'string' && /^https?:\/\//i.test(value)) resolved[field] = (await fetchImageBytes(value, policy)).bytes;
    else if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      throw new DarkroomError({ code: 'invalid_input', message: `${field}: only http and https image URLs are fetched`, details: { reason: 'scheme_not_allowed' } });
    }
  }
  return resolved;
}

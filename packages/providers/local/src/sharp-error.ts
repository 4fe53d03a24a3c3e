import { DarkroomError } from '@darkroom/core';

/** sharp failures on input data are the caller's bad image (4xx), not a provider fault. */
export function toImageError(error: unknown): DarkroomError {
  if (DarkroomError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit|exceeds/i.test(message)) {
    return new DarkroomError({ code: 'image_too_large', message: `The image is too large to process: ${message}` });
  }
  return new DarkroomError({ code: 'invalid_image', message: `The image could not be decoded (corrupt or truncated): ${message}` });
}

import { DarkroomError } from './darkroom-error.js';

/** Shorthands for the common errors, so call sites read as sentences. */
export const errors = {
  invalidInput: (message: string, details?: Record<string, unknown>) =>
    new DarkroomError({ code: 'invalid_input', message, details }),
  invalidImage: (message: string, details?: Record<string, unknown>) =>
    new DarkroomError({ code: 'invalid_image', message, details }),
  imageTooLarge: (message: string, details?: Record<string, unknown>) =>
    new DarkroomError({ code: 'image_too_large', message, details }),
  // An id is echoed at most 100 characters long: a request cannot make its error as large as itself.
  notFound: (what: string, id: string) => {
    const shown = id.length > 100 ? `${id.slice(0, 100)}…` : id;
    return new DarkroomError({ code: 'not_found', message: `${what} ${JSON.stringify(shown)} was not found`, details: { id: shown } });
  },
  /**
   * A request that reaches something deleted since, such as a replayed Idempotency-Key whose session
   * or image was deleted: 409 `conflict` with `details.reason: "deleted"`, never brought back. The
   * message says what was deleted and what to do instead (a new key, a restore).
   */
  deleted: (message: string, details?: Record<string, unknown>) =>
    new DarkroomError({ code: 'conflict', message, details: { ...details, reason: 'deleted' } }),
  cancelled: (message = 'The job was cancelled') => new DarkroomError({ code: 'cancelled', message }),
  timeout: (message: string) => new DarkroomError({ code: 'timeout', message, retryable: true }),
  providerError: (message: string, details?: Record<string, unknown>) =>
    new DarkroomError({ code: 'provider_error', message, details }),
  configuration: (message: string, details?: Record<string, unknown>) =>
    new DarkroomError({ code: 'configuration', message, details }),
};

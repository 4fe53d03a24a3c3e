/** Stable machine-readable error codes. Each maps to one HTTP status. */
export const errorStatus = {
  invalid_input: 400,
  invalid_image: 400,
  image_too_large: 413,
  output_too_large: 413,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  idempotency_mismatch: 422,
  unsupported: 422,
  content_blocked: 422,
  no_provider: 501,
  provider_error: 502,
  provider_unavailable: 503,
  unavailable: 503,
  rate_limited: 429,
  timeout: 504,
  cancelled: 409,
  configuration: 500,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

const marker = Symbol.for('darkroom.error');

export interface DarkroomErrorOptions {
  code: ErrorCode;
  message: string;
  /** Whether repeating the same call later may succeed (429, 5xx, timeouts, resets). */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of Darkroom. It carries a code, its HTTP status and whether a retry may help.
 *
 * @example
 * throw new DarkroomError({ code: 'invalid_input', message: 'scale must be 2 or 4' });
 */
export class DarkroomError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: DarkroomErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DarkroomError';
    this.code = options.code;
    this.status = errorStatus[options.code];
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  /** Works across copies of the package, unlike `instanceof`. */
  static isInstance(error: unknown): error is DarkroomError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** A plain object safe to store in a job row or send to a client. */
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.details ? { details: this.details } : {}) };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  details?: Record<string, unknown>;
}

/** Turns anything thrown into a DarkroomError; unknown failures become `internal` and keep no internals in the message. */
export function toDarkroomError(error: unknown): DarkroomError {
  if (DarkroomError.isInstance(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new DarkroomError({ code: 'cancelled', message: 'The operation was cancelled', cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new DarkroomError({ code: 'timeout', message: 'The operation timed out', retryable: true, cause: error });
  }
  return new DarkroomError({ code: 'internal', message: 'Internal error', cause: error });
}

/** Codes the server answers with `retryable` meaning: trying again later may work. */
const retryableCodes = new Set(['rate_limited', 'unavailable', 'provider_unavailable', 'provider_error', 'timeout', 'conflict']);

/**
 * An error answered by a Darkroom server (`{ "error": { "code", "message", "details" } }`), or a
 * failure to reach it (`code: 'unavailable'`, `status: 0`).
 *
 * - `code`: the server's stable code (`invalid_input`, `not_found`, `rate_limited`, …).
 * - `status`: the HTTP status (0 when no answer came).
 * - `retryable`: whether the same request may work later (429, 502, 503, 504, network failures).
 * - `retryAfterMs`: how long to wait first, in milliseconds, when the server said (`Retry-After`).
 */
export class DarkroomApiError extends Error {
  override readonly name = 'DarkroomApiError';
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** The server's request id (quote it when reporting a server error). */
  readonly requestId: string | undefined;

  constructor(options: { code: string; status: number; message: string; details?: Record<string, unknown>; retryable?: boolean; retryAfterMs?: number; requestId?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.details = options.details;
    this.retryable = options.retryable ?? ([429, 502, 503, 504].includes(options.status) || retryableCodes.has(options.code));
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
  }

  /** Whether a value is a DarkroomApiError (also across copies of this package). */
  static is(value: unknown): value is DarkroomApiError {
    return value instanceof DarkroomApiError || (value instanceof Error && value.name === 'DarkroomApiError' && typeof (value as { code?: unknown }).code === 'string');
  }

  /**
   * The error a non-2xx answer carries: its code, message and details from the body (or the status
   * when the body is not the server's error shape), `Retry-After` (seconds or an HTTP date) as `retryAfterMs`.
   */
  static async fromResponse(response: Response): Promise<DarkroomApiError> {
    const text = await response.text().catch(() => '');
    let error: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error;
    } catch {
      error = undefined;
    }
    const details = error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : undefined;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after')) ?? (typeof details?.retry_after_seconds === 'number' ? details.retry_after_seconds * 1000 : undefined);
    return new DarkroomApiError({
      code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      status: response.status,
      message: typeof error?.message === 'string' ? error.message : `The server answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`.trim(),
      ...(details ? { details } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(typeof error?.request_id === 'string' ? { requestId: error.request_id } : {}),
    });
  }

  /** A request that got no answer (refused connection, DNS, reset): `unavailable`, retryable. */
  static network(url: string, cause: unknown): DarkroomApiError {
    const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    return new DarkroomApiError({ code: 'unavailable', status: 0, message: `No answer from ${url}: ${reason}. Check that the server runs and the base URL is right.`, retryable: true, cause });
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

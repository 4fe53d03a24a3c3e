import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { DarkroomError } from '@darkroom/core';

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return milliseconds;
  const seconds = Number(headers?.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Maps what the openai client threw to a typed error. Never includes the key. */
export function toParasailError(error: unknown, signal: AbortSignal, timeoutMs: number): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (DarkroomError.isInstance(error)) return error;
  const details = { provider: 'parasail' };
  if (error instanceof APIConnectionTimeoutError) return new DarkroomError({ code: 'timeout', message: `Parasail did not answer within ${timeoutMs} ms`, retryable: true, details });
  if (error instanceof APIUserAbortError) return new DarkroomError({ code: 'cancelled', message: 'The Parasail call was cancelled', details });
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const message = (error.error as { message?: string } | undefined)?.message ?? error.message;
    if (status === 401 || status === 403) return new DarkroomError({ code: 'provider_error', message: `Parasail rejected the API key (${status}); check PARASAIL_API_KEY`, details: { ...details, status } });
    if (status === 429) {
      const delay = retryAfterMs(error.headers);
      return new DarkroomError({ code: 'rate_limited', message: `Parasail is rate-limiting requests (429): ${message}`, retryable: true, details: { ...details, status, ...(delay !== undefined ? { retryAfterMs: delay } : {}) } });
    }
    if (status >= 500) return new DarkroomError({ code: 'provider_unavailable', message: `Parasail is unavailable (${status}): ${message}`, retryable: true, details: { ...details, status } });
    return new DarkroomError({ code: 'invalid_input', message: `Parasail refused the request (${status}): ${message}`, details: { ...details, status } });
  }
  if (error instanceof SyntaxError) return new DarkroomError({ code: 'provider_error', message: 'Parasail answered with a body that is not valid JSON', retryable: true, details });
  return new DarkroomError({ code: 'provider_unavailable', message: `Parasail could not be reached: ${error instanceof Error ? error.message : String(error)}`, retryable: true, details });
}

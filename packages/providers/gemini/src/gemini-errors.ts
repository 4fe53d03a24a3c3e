import { ApiError } from '@google/genai';
import { DarkroomError } from '@darkroom/core';

interface GeminiErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Array<Record<string, unknown>> };
}

/** "22s" or "1.5s" (google.protobuf.Duration as JSON) in milliseconds. */
function durationMs(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Maps whatever the SDK threw to a typed error. Never includes the key or the request. */
export function toGeminiError(error: unknown, signal: AbortSignal, timeout: AbortSignal, timeoutMs: number): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (timeout.aborted) return new DarkroomError({ code: 'timeout', message: `Gemini did not answer within ${timeoutMs} ms`, retryable: true, details: { provider: 'gemini' } });
  if (DarkroomError.isInstance(error)) return error;
  if (error instanceof ApiError) {
    let body: GeminiErrorBody = {};
    try {
      body = JSON.parse(error.message) as GeminiErrorBody;
    } catch {
      body = { error: { message: error.message } };
    }
    const detail = body.error?.message ?? 'unknown error';
    const reasons = (body.error?.details ?? []).map((entry) => String(entry.reason ?? ''));
    const details = { provider: 'gemini', status: error.status, ...(body.error?.status ? { provider_status: body.error.status } : {}) };
    if (reasons.includes('API_KEY_INVALID') || /api key not valid/i.test(detail) || error.status === 401 || error.status === 403) {
      return new DarkroomError({ code: 'provider_error', message: `Gemini rejected the API key (${error.status}); check GEMINI_API_KEY`, details });
    }
    if (error.status === 429) {
      const retryInfo = body.error?.details?.find((entry) => String(entry['@type'] ?? '').endsWith('google.rpc.RetryInfo'));
      const retryAfterMs = durationMs(retryInfo?.retryDelay);
      return new DarkroomError({ code: 'rate_limited', message: `Gemini quota exceeded (429): ${detail}`, retryable: true, details: { ...details, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } });
    }
    if (error.status >= 500) return new DarkroomError({ code: 'provider_unavailable', message: `Gemini is unavailable (${error.status}): ${detail}`, retryable: true, details });
    return new DarkroomError({ code: 'invalid_input', message: `Gemini refused the request (${error.status}): ${detail}`, details });
  }
  if (error instanceof SyntaxError) return new DarkroomError({ code: 'provider_error', message: 'Gemini answered with a body that is not valid JSON', retryable: true, details: { provider: 'gemini' } });
  return new DarkroomError({ code: 'provider_unavailable', message: `Gemini could not be reached: ${error instanceof Error ? error.message : String(error)}`, retryable: true, details: { provider: 'gemini' } });
}

/** finishReasons that mean the output was withheld for safety or policy. */
export const blockedFinishReasons = new Set(['SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_RECITATION']);

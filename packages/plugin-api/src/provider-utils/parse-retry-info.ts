import { cappedDelay, maxRetryAfterMs } from './parse-retry-after.js';

const durationText = /^\s*(\d+(?:\.\d+)?)s\s*$/;

/** A google.protobuf.Duration as JSON (`"1.5s"`) or as an object (`{ seconds, nanos }`), in milliseconds. */
function durationMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const match = durationText.exec(value);
    return match ? Number(match[1]) * 1000 : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
  if (seconds === undefined && nanos === undefined) return undefined;
  const total = Number(seconds ?? 0) * 1000 + Number(nanos ?? 0) / 1e6;
  return Number.isFinite(total) && total >= 0 ? total : undefined;
}

/** The `details` list of a Google error body, whether given the body, its `error` or its JSON text. */
function errorDetails(body: unknown): unknown[] {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return [];
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const error = (parsed as { error?: unknown }).error;
  const details = (typeof error === 'object' && error !== null ? (error as { details?: unknown }).details : undefined) ?? (parsed as { details?: unknown }).details;
  return Array.isArray(details) ? details : [];
}

/**
 * How long Google asks to wait, in milliseconds, from the `google.rpc.RetryInfo` entry of an error
 * body (`{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"22s"}]}}`);
 * Gemini's 429 carries this instead of Retry-After. Takes the body, its `error` object or its JSON
 * text; `retryDelay` as `"1.5s"` or `{ seconds, nanos }`. No RetryInfo, or a delay that is not a
 * non-negative duration, is `undefined`; more than `maxMs` (default one hour) is cut to it.
 *
 * @example
 * parseRetryInfo({ error: { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } }); // 1500
 */
export function parseRetryInfo(body: unknown, options: { maxMs?: number } = {}): number | undefined {
  const retryInfo = errorDetails(body).find(
    (entry): entry is { retryDelay?: unknown } => typeof entry === 'object' && entry !== null && String((entry as Record<string, unknown>)['@type'] ?? '').endsWith('google.rpc.RetryInfo'),
  );
  const delay = durationMs(retryInfo?.retryDelay);
  return delay === undefined ? undefined : cappedDelay(delay, options.maxMs ?? maxRetryAfterMs);
}

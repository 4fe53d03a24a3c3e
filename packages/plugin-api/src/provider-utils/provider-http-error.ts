import { DarkroomError, type ErrorCode } from '../errors/darkroom-error.js';
import { parseRetryAfter, type HeadersLike } from './parse-retry-after.js';
import { parseRetryInfo } from './parse-retry-info.js';
import type { ProviderIdentity } from './provider-identity.js';
import { readErrorBody } from './read-error-body.js';

export interface ProviderHttpErrorOptions {
  provider: ProviderIdentity;
  /** The HTTP status the provider answered. */
  status: number;
  /** Its error body, parsed or as text: its message, code and parameter go into the error (see `readErrorBody`). */
  body?: unknown;
  /** Its response headers, for `retry-after-ms` / `Retry-After`. */
  headers?: HeadersLike;
  /** The body says the key is bad whatever the status (Google answers 400 `API_KEY_INVALID`). */
  keyRejected?: boolean;
  /** The code of a rejected key: `provider_error` (default) for a provider; a storage the engine cannot run without says `configuration`. */
  rejectedKeyCode?: 'provider_error' | 'configuration';
  /** Epoch milliseconds an HTTP-date Retry-After is measured from. Default `Date.now()`. */
  now?: number;
}

interface Mapping {
  code: ErrorCode;
  retryable: boolean;
  /** What happened, before the provider's own explanation. */
  message: string;
  /** What to do, after it. */
  advice?: string;
  /** Whether the provider's explanation goes in between. */
  explained?: boolean;
}

function mapStatus(options: ProviderHttpErrorOptions): Mapping {
  const { provider: { name, environmentVariable }, status } = options;
  if (options.keyRejected || status === 401 || status === 403) {
    // The explanation of a refused key is left out: some providers echo part of the key in it.
    return { code: options.rejectedKeyCode ?? 'provider_error', retryable: false, message: `${name} rejected the API key (${status})`, advice: `check ${environmentVariable}`, explained: false };
  }
  if (status === 402) return { code: 'provider_error', retryable: false, message: `The ${name} account has no balance left (402)`, advice: 'top it up' };
  if (status === 404) return { code: 'provider_error', retryable: false, message: `${name} answered 404 (not found)`, advice: 'check the model and the base URL' };
  if (status === 408) return { code: 'timeout', retryable: true, message: `${name} timed out on its side (408)` };
  if (status === 409) return { code: 'provider_error', retryable: true, message: `${name} reported a conflict (409)` };
  if (status === 413) return { code: 'payload_too_large', retryable: false, message: `${name} refused the request as too large (413)` };
  if (status === 429) return { code: 'rate_limited', retryable: true, message: `${name} is rate-limiting requests (429)` };
  if (status >= 500 && status <= 599) return { code: 'provider_unavailable', retryable: true, message: `${name} is unavailable (${status})` };
  if (status >= 400 && status <= 499) return { code: 'invalid_input', retryable: false, message: `${name} refused the request (${status})` };
  return { code: 'provider_error', retryable: false, message: `${name} answered with an unexpected HTTP status ${status}` };
}

/**
 * The typed error for an HTTP failure of a provider, the same for every provider:
 *
 * | status | code | retryable |
 * | --- | --- | --- |
 * | 401, 403 (or `keyRejected`) | `provider_error` (or `rejectedKeyCode`); the message names the key's environment variable | no |
 * | 402 | `provider_error` (no balance) | no |
 * | 404 | `provider_error` (a wrong model or base URL is not the caller's input) | no |
 * | 408 | `timeout` | yes |
 * | 409 | `provider_error` | yes |
 * | 413 | `payload_too_large` | no |
 * | 429 | `rate_limited` | yes |
 * | 500–599 | `provider_unavailable` | yes |
 * | 400, 422 and any other 4xx | `invalid_input` | no |
 * | anything else | `provider_error` | no |
 *
 * `details` holds `provider` (its id), `status`, `provider_code` (the body's own code, when it has
 * one) and, on a retryable error, `retryAfterMs`: the wait the provider asked for, in milliseconds,
 * from `retry-after-ms` / `Retry-After` or else Google's `RetryInfo` (see `parseRetryAfter`), which
 * the workflow runner waits at least. The message is the provider's name, what happened, the status
 * and the body's explanation (`readErrorBody`); never the request or the key.
 *
 * @example
 * if (!response.ok) throw providerHttpError({ provider: runware, status: response.status, body: await response.text(), headers: response.headers });
 * // 429 + `Retry-After: 3` → DarkroomError { code: 'rate_limited', retryable: true, details: { provider: 'runware', status: 429, retryAfterMs: 3000 } }
 */
export function providerHttpError(options: ProviderHttpErrorOptions): DarkroomError {
  const { provider, status, body, headers } = options;
  const mapping = mapStatus(options);
  const summary = readErrorBody(body);
  const explanation = mapping.explained !== false && summary.message ? `: ${summary.message}${summary.parameter ? ` (parameter ${summary.parameter})` : ''}` : '';
  const retryAfterMs = mapping.retryable ? (parseRetryAfter(headers, { now: options.now }) ?? parseRetryInfo(body)) : undefined;
  return new DarkroomError({
    code: mapping.code,
    message: `${mapping.message}${explanation}${mapping.advice ? `; ${mapping.advice}` : ''}`,
    retryable: mapping.retryable,
    details: {
      provider: provider.id,
      status,
      ...(summary.code ? { provider_code: summary.code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  });
}

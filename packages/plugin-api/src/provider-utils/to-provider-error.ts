import { DarkroomError } from '../errors/darkroom-error.js';
import type { ProviderIdentity } from './provider-identity.js';

export interface ToProviderErrorOptions {
  provider: ProviderIdentity;
  /** What the call threw (an Error, or an SDK's plain error object). */
  error: unknown;
}

/** `fetch failed (ECONNREFUSED)`: the message, with the system error code undici keeps in `cause`. */
function describe(error: unknown): string {
  const message = typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : String(error);
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * The typed error for a provider call that failed without an HTTP answer (map HTTP answers with
 * `providerHttpError` first):
 * - a DarkroomError is returned as it is;
 * - a `TimeoutError` (an `AbortSignal.timeout`, an SDK's own time limit) → `timeout`, retryable;
 * - an `AbortError` → `cancelled`, not retryable;
 * - a `SyntaxError` (a body that is not JSON, e.g. a proxy's HTML page) → `provider_error`, retryable;
 * - anything else (refused connection, DNS, reset) → `provider_unavailable`, retryable, with the
 *   reason (`fetch failed (ECONNREFUSED)`).
 *
 * `details.provider` is the provider's id. `callProvider` applies this to whatever its call throws.
 *
 * @example
 * try { await sdk.upload(file); } catch (error) { throw toProviderError({ provider: cloudinary, error }); }
 */
export function toProviderError(options: ToProviderErrorOptions): DarkroomError {
  const { provider, error } = options;
  if (DarkroomError.isInstance(error)) return error;
  const details = { provider: provider.id };
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError') return new DarkroomError({ code: 'timeout', message: `${provider.name} did not answer in time`, retryable: true, details, cause: error });
  if (name === 'AbortError') return new DarkroomError({ code: 'cancelled', message: `The ${provider.name} call was cancelled`, details, cause: error });
  if (error instanceof SyntaxError) return new DarkroomError({ code: 'provider_error', message: `${provider.name} answered with a body that is not valid JSON`, retryable: true, details, cause: error });
  return new DarkroomError({ code: 'provider_unavailable', message: `${provider.name} could not be reached: ${describe(error)}`, retryable: true, details, cause: error });
}

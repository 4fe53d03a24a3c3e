import { DarkroomError } from '../errors/darkroom-error.js';
import type { ProviderIdentity } from './provider-identity.js';
import { toProviderError } from './to-provider-error.js';

export interface CallProviderOptions<Result> {
  provider: ProviderIdentity;
  /** The caller's signal (the job's). When it aborts, its reason is thrown as it is, not mapped. */
  signal?: AbortSignal;
  /** The time limit of the whole call, in milliseconds; past it a retryable `timeout` error. None when left out. */
  timeoutMs?: number;
  /** The call. Give the signal it receives to fetch or the SDK: it aborts on the caller's signal or the time limit. */
  run: (signal: AbortSignal) => Promise<Result>;
  /** Maps an SDK's own errors (usually through `providerHttpError`); `undefined` leaves the error to `toProviderError`. */
  mapError?: (error: unknown) => DarkroomError | undefined;
}

/**
 * Runs one call to a provider under the caller's signal and a time limit, and throws only typed
 * errors: the caller's abort reason as it is; `timeout` (retryable, "did not answer within N ms")
 * when the limit passed; a DarkroomError thrown inside (e.g. `providerHttpError`) as it is; then
 * `mapError`, then `toProviderError` (network failure, body that is not JSON…). A signal aborted
 * before the call starts throws its reason at once, so no request is sent.
 *
 * @example
 * const body = await callProvider({
 *   provider: runware, signal: context.signal, timeoutMs: 120_000,
 *   run: async (signal) => {
 *     const response = await fetch(url, { method: 'POST', body, signal });
 *     if (!response.ok) throw providerHttpError({ provider: runware, status: response.status, body: await response.text(), headers: response.headers });
 *     return response.json();
 *   },
 * });
 */
export async function callProvider<Result>(options: CallProviderOptions<Result>): Promise<Result> {
  const { provider, signal, timeoutMs, run, mapError } = options;
  signal?.throwIfAborted();
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [signal, timeout].filter((each): each is AbortSignal => each !== undefined);
  try {
    return await run(signals.length === 1 ? signals[0]! : AbortSignal.any(signals));
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (timeout?.aborted) {
      throw new DarkroomError({ code: 'timeout', message: `${provider.name} did not answer within ${timeoutMs} ms`, retryable: true, details: { provider: provider.id } });
    }
    if (DarkroomError.isInstance(error)) throw error;
    throw mapError?.(error) ?? toProviderError({ provider, error });
  }
}

// What every provider repeats, once: lazy API keys, one call with a time limit, HTTP status → typed
// error, and the provider's wait hints (Retry-After, Google's RetryInfo) as `details.retryAfterMs`.
export type { ProviderIdentity } from './provider-identity.js';
export { loadApiKey, findApiKey, type LoadApiKeyOptions } from './load-api-key.js';
export { lazyClient, type LazyClientOptions } from './lazy-client.js';
export { lazyImport, type LazyImportOptions } from './lazy-import.js';
export { callProvider, type CallProviderOptions } from './call-provider.js';
export { providerHttpError, type ProviderHttpErrorOptions } from './provider-http-error.js';
export { toProviderError, type ToProviderErrorOptions } from './to-provider-error.js';
export { readErrorBody, type ErrorBodySummary } from './read-error-body.js';
export { parseRetryAfter, maxRetryAfterMs, type HeadersLike, type ParseRetryAfterOptions } from './parse-retry-after.js';
export { parseRetryInfo } from './parse-retry-info.js';

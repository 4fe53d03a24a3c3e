import type * as OpenAISdk from 'openai';
import type { DarkroomError } from '@darkroom/core';
import { lazyImport, providerHttpError, type ProviderIdentity } from '@darkroom/plugin-api/provider-utils';

export const parasail: ProviderIdentity = { id: 'parasail', name: 'Parasail', environmentVariable: 'PARASAIL_API_KEY' };

let sdk: typeof OpenAISdk | undefined;
/** The `openai` client, imported on the first call (not when the provider is created). */
export const loadOpenai = lazyImport({ provider: parasail, packageName: 'openai', load: async () => (sdk = await import('openai')) });

/**
 * Maps the openai client's HTTP errors (`APIError` with a status: its body's `error`, its headers
 * for retry-after-ms / Retry-After) to a typed error; anything else is left to `callProvider`.
 */
export function parasailApiError(error: unknown): DarkroomError | undefined {
  // The client throws APIError only once it is loaded.
  if (!sdk || !(error instanceof sdk.APIError) || error.status === undefined) return undefined;
  return providerHttpError({ provider: parasail, status: error.status, body: error.error ?? error.message, headers: error.headers });
}

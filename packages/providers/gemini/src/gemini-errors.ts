import type * as Genai from '@google/genai';
import type { DarkroomError } from '@darkroom/core';
import { lazyImport, providerHttpError, type ProviderIdentity } from '@darkroom/plugin-api/provider-utils';

export const gemini: ProviderIdentity = { id: 'gemini', name: 'Gemini', environmentVariable: 'GEMINI_API_KEY' };

let sdk: typeof Genai | undefined;
/** `@google/genai`, imported on the first call (it takes a few hundred milliseconds to load), not when the provider is created. */
export const loadGenai = lazyImport({ provider: gemini, packageName: '@google/genai', load: async () => (sdk = await import('@google/genai')) });

/** Whether Gemini's error body (JSON text) says the key is bad: `reason: API_KEY_INVALID`, or "API key not valid". */
function rejectsKey(body: string): boolean {
  try {
    const details = (JSON.parse(body) as { error?: { details?: unknown } }).error?.details;
    if (Array.isArray(details) && details.some((entry) => (entry as { reason?: unknown } | null)?.reason === 'API_KEY_INVALID')) return true;
  } catch {
    // Not JSON: the text alone can tell.
  }
  return /api key not valid/i.test(body);
}

/**
 * Maps the SDK's `ApiError` (its message is the error body's JSON) to a typed error, RetryInfo's
 * delay included; anything else is left to `callProvider`. A bad key is HTTP 400 on Gemini.
 */
export function geminiApiError(error: unknown): DarkroomError | undefined {
  // The SDK throws ApiError only once it is loaded.
  if (!sdk || !(error instanceof sdk.ApiError)) return undefined;
  return providerHttpError({ provider: gemini, status: error.status, body: error.message, keyRejected: rejectsKey(error.message) });
}

/** finishReasons that mean the output was withheld for safety or policy. */
export const blockedFinishReasons = new Set(['SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_RECITATION']);

import { APIError } from 'openai';
import type { DarkroomError } from '@darkroom/core';
import { providerHttpError, type ProviderIdentity } from '@darkroom/plugin-api/provider-utils';

export const parasail: ProviderIdentity = { id: 'parasail', name: 'Parasail', environmentVariable: 'PARASAIL_API_KEY' };

/**
 * Maps the openai client's HTTP errors (`APIError` with a status: its body's `error`, its headers
 * for retry-after-ms / Retry-After) to a typed error; anything else is left to `callProvider`.
 */
export function parasailApiError(error: unknown): DarkroomError | undefined {
  if (!(error instanceof APIError) || error.status === undefined) return undefined;
  return providerHttpError({ provider: parasail, status: error.status, body: error.error ?? error.message, headers: error.headers });
}

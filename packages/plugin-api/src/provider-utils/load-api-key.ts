import { DarkroomError } from '../errors/darkroom-error.js';
import type { ProviderIdentity } from './provider-identity.js';

export interface LoadApiKeyOptions {
  /** The key given in the provider's settings; it wins over the environment. */
  apiKey: string | undefined;
  provider: ProviderIdentity;
  /** What the secret is, for the message when it is missing. Default `an API key`. */
  description?: string;
  /** The name of the setting that holds it, for the same message. Default `apiKey`. */
  settingName?: string;
}

/**
 * The key from the settings, else from the provider's environment variable, or `undefined` when
 * neither holds one (blank counts as none). Reads the environment at each call. For health checks
 * that must not throw; calls use {@link loadApiKey}.
 *
 * @example
 * const configured = findApiKey({ apiKey: settings.apiKey, provider: runware }) !== undefined;
 */
export function findApiKey(options: Pick<LoadApiKeyOptions, 'apiKey' | 'provider'>): string | undefined {
  const key = options.apiKey ?? process.env[options.provider.environmentVariable];
  return key === undefined || key.trim() === '' ? undefined : key;
}

/**
 * The key to call a provider with, read when called (not when the provider is created), so a key
 * set or changed in the environment later is used. Never logs it.
 *
 * @throws DarkroomError `configuration` (not retryable) when there is no key; the message names the
 *   environment variable to set, e.g. `RUNWARE_API_KEY is not set: give Runware an API key in
 *   RUNWARE_API_KEY or in its apiKey setting`.
 * @example
 * const apiKey = () => loadApiKey({ apiKey: settings.apiKey, provider: runware });
 * await fetch(url, { headers: { authorization: `Bearer ${apiKey()}` } });
 */
export function loadApiKey(options: LoadApiKeyOptions): string {
  const key = findApiKey(options);
  if (key !== undefined) return key;
  const { provider, description = 'an API key', settingName = 'apiKey' } = options;
  throw new DarkroomError({
    code: 'configuration',
    message: `${provider.environmentVariable} is not set: give ${provider.name} ${description} in ${provider.environmentVariable} or in its ${settingName} setting`,
    details: { provider: provider.id },
  });
}

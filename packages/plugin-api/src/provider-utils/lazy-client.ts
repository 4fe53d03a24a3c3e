import { loadApiKey, type LoadApiKeyOptions } from './load-api-key.js';

export interface LazyClientOptions<Client> extends LoadApiKeyOptions {
  /** Builds the SDK client for a key. */
  create: (apiKey: string) => Client;
}

/**
 * An SDK client built on first use from the key {@link loadApiKey} finds, and built again when that
 * key changes (a rotated environment variable); the same client otherwise.
 *
 * @throws DarkroomError `configuration` from the returned function when there is no key.
 * @example
 * const openai = lazyClient({ apiKey: settings.apiKey, provider: parasail, create: (apiKey) => new OpenAI({ apiKey, baseURL }) });
 * await openai().models.list();
 */
export function lazyClient<Client>(options: LazyClientOptions<Client>): () => Client {
  let cached: { apiKey: string; client: Client } | undefined;
  return () => {
    const apiKey = loadApiKey(options);
    if (cached?.apiKey !== apiKey) cached = { apiKey, client: options.create(apiKey) };
    return cached.client;
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { findApiKey, loadApiKey } from './load-api-key.js';
import { lazyClient } from './lazy-client.js';
import type { ProviderIdentity } from './provider-identity.js';

const acme: ProviderIdentity = { id: 'acme', name: 'Acme', environmentVariable: 'DARKROOM_TEST_ACME_API_KEY' };
afterEach(() => {
  delete process.env.DARKROOM_TEST_ACME_API_KEY;
});

describe('loadApiKey', () => {
  it('prefers the key from the settings over the environment', () => {
    process.env.DARKROOM_TEST_ACME_API_KEY = 'from-env';
    expect(loadApiKey({ apiKey: 'from-settings', provider: acme })).toBe('from-settings');
  });

  it('reads the environment when called, not when the loader is made', () => {
    const apiKey = () => loadApiKey({ apiKey: undefined, provider: acme });
    expect(apiKey).toThrow();
    process.env.DARKROOM_TEST_ACME_API_KEY = 'set-later';
    expect(apiKey()).toBe('set-later');
    process.env.DARKROOM_TEST_ACME_API_KEY = 'rotated';
    expect(apiKey()).toBe('rotated');
  });

  it('throws a configuration error that names the variable to set; blank counts as missing', () => {
    for (const value of [undefined, '', '  ']) {
      if (value === undefined) delete process.env.DARKROOM_TEST_ACME_API_KEY;
      else process.env.DARKROOM_TEST_ACME_API_KEY = value;
      expect(() => loadApiKey({ apiKey: undefined, provider: acme })).toThrow(
        expect.objectContaining({
          code: 'configuration',
          retryable: false,
          message: 'DARKROOM_TEST_ACME_API_KEY is not set: give Acme an API key in DARKROOM_TEST_ACME_API_KEY or in its apiKey setting',
          details: { provider: 'acme' },
        }),
      );
    }
    expect(() => loadApiKey({ apiKey: '', provider: acme })).toThrow(/DARKROOM_TEST_ACME_API_KEY is not set/);
  });

  it('says what the secret is and which setting holds it when told', () => {
    expect(() => loadApiKey({ apiKey: undefined, provider: acme, description: 'its URL (acme://KEY@HOST)', settingName: 'url' })).toThrow(
      'DARKROOM_TEST_ACME_API_KEY is not set: give Acme its URL (acme://KEY@HOST) in DARKROOM_TEST_ACME_API_KEY or in its url setting',
    );
  });

  it('findApiKey answers undefined instead of throwing', () => {
    expect(findApiKey({ apiKey: undefined, provider: acme })).toBeUndefined();
    process.env.DARKROOM_TEST_ACME_API_KEY = 'k';
    expect(findApiKey({ apiKey: undefined, provider: acme })).toBe('k');
  });
});

describe('lazyClient', () => {
  it('builds nothing until used, then one client per key', () => {
    const built: string[] = [];
    const client = lazyClient({ apiKey: undefined, provider: acme, create: (apiKey) => (built.push(apiKey), { apiKey }) });
    expect(built).toEqual([]);
    expect(client).toThrow(/DARKROOM_TEST_ACME_API_KEY is not set/);
    process.env.DARKROOM_TEST_ACME_API_KEY = 'one';
    const first = client();
    expect(client()).toBe(first);
    process.env.DARKROOM_TEST_ACME_API_KEY = 'two';
    expect(client()).toEqual({ apiKey: 'two' });
    expect(built).toEqual(['one', 'two']);
  });
});

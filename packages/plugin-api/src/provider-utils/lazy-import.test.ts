import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../errors/darkroom-error.js';
import { lazyImport } from './lazy-import.js';
import type { ProviderIdentity } from './provider-identity.js';

const acme: ProviderIdentity = { id: 'acme', name: 'Acme', environmentVariable: 'ACME_API_KEY' };

describe('lazyImport', () => {
  it('imports nothing until called, then once', async () => {
    let loads = 0;
    const sdk = lazyImport({ provider: acme, packageName: 'node:path', load: async () => (loads += 1, import('node:path')) });
    expect(loads).toBe(0);
    const [first, second] = await Promise.all([sdk(), sdk()]);
    expect(first).toBe(second);
    expect(typeof first.join).toBe('function');
    await sdk();
    expect(loads).toBe(1);
  });

  it('says which package to install when it is missing, as a configuration error, and tries again on the next call', async () => {
    let loads = 0;
    const missing = 'darkroom-no-such-sdk-for-tests';
    const sdk = lazyImport({ provider: acme, packageName: missing, load: () => (loads += 1, import(missing)) });
    const error = await sdk().catch((caught: unknown) => caught);
    expect(DarkroomError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'configuration', retryable: false, details: { provider: 'acme', package: missing } });
    expect((error as Error).message).toMatch(new RegExp(`^Acme needs the package ${missing}, which is not installed \\(.*${missing}.*\\): npm install ${missing}$`));
    await expect(sdk()).rejects.toThrow(/npm install/);
    expect(loads).toBe(2);
  });

  it('passes on other failures as they are', async () => {
    const sdk = lazyImport({ provider: acme, packageName: 'broken', load: () => Promise.reject(new TypeError('boom')) });
    await expect(sdk()).rejects.toThrow(TypeError);
  });
});

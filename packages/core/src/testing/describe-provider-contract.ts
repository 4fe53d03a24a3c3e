import { describe, it } from 'vitest';
import type { Provider } from '@darkroom/plugin-api';
import { providerContractChecks, type ProviderContractOptions } from './provider-contract-checks.js';

export type { ProviderContractOptions } from './provider-contract-checks.js';

/**
 * What every provider promises, whatever its backend: each declared capability answers a standard
 * request with the right shape, every capability has a model, health answers, and a call whose
 * signal is already aborted does no work. Run it over every provider (local, cloud ones on fakes).
 */
export function describeProviderContract(name: string, open: () => Promise<{ provider: Provider; close?: () => Promise<void> }>, options: ProviderContractOptions = {}): void {
  const withProvider = async (check: (provider: Provider) => Promise<void>) => {
    const { provider, close } = await open();
    try {
      await check(provider);
    } finally {
      await close?.();
    }
  };
  describe(`provider contract: ${name}`, () => {
    it('answers every capability it declares with the right shape', { timeout: 120_000 }, () => withProvider((provider) => providerContractChecks.answersEveryCapability(provider, options)));
    it('reports its health and lists its models', () => withProvider((provider) => providerContractChecks.reportsHealth(provider)));
    it('does no work when the call is already cancelled', () => withProvider((provider) => providerContractChecks.doesNoWorkWhenCancelled(provider, options)));
  });
}

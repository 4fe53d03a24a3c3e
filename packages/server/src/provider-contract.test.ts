import { describeProviderContract } from '@darkroom/core/testing';
import { createGemini } from '@darkroom/provider-gemini';
import { createLocalProvider } from '@darkroom/provider-local';
import { createParasail } from '@darkroom/provider-parasail';
import { createRunware } from '@darkroom/provider-runware';
import { startFakeGemini } from '../../providers/gemini/src/testing-fake-gemini.js';
import { startFakeParasail } from '../../providers/parasail/src/testing-fake-parasail.js';
import { startFakeRunware } from '../../providers/runware/src/testing-fake-runware.js';

// One contract, every provider: local for real, the cloud ones against protocol-faithful fakes.
describeProviderContract('local', async () => {
  const provider = createLocalProvider();
  return { provider, close: () => provider.close!() };
});
describeProviderContract('runware', async () => {
  const fake = await startFakeRunware();
  return { provider: createRunware({ apiKey: fake.key, baseURL: fake.url }), close: () => fake.close() };
});
describeProviderContract('gemini', async () => {
  const fake = await startFakeGemini();
  return { provider: createGemini({ apiKey: fake.key, baseURL: fake.url }), close: () => fake.close() };
});
describeProviderContract('parasail', async () => {
  const fake = await startFakeParasail();
  return { provider: createParasail({ apiKey: fake.key, baseURL: fake.url }), close: () => fake.close() };
});

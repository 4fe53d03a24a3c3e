import sharp from 'sharp';
import { defineProvider, type Capability } from '@darkroom/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImage } from '../images/inspect-image.js';
import { describeProviderContract } from './describe-provider-contract.js';
import { providerContractChecks } from './provider-contract-checks.js';
import { solidPng } from './test-plugin.js';

// A plugin's own capability (declared in its types by augmenting CapabilitySpec): the contract runs
// it with the request the plugin passes, checks its images like any image result, and runs the
// plugin's own check.
const halftone = 'halftone' as Capability;
const checked: string[] = [];

describeProviderContract(
  'a provider with a capability of its own',
  async () => ({
    provider: defineProvider({
      id: 'dots',
      models: [{ id: 'dots-1', capabilities: [halftone, 'upscale'] }],
      handlers: {
        [halftone]: async (request: { image: { bytes: Uint8Array }; dotSize: number }, context: { signal: AbortSignal }) => {
          context.signal.throwIfAborted();
          const bytes = new Uint8Array(await sharp(request.image.bytes).greyscale().threshold(128).png().toBuffer());
          return { images: [await inspectImage(bytes)], metadata: { dotSize: request.dotSize } };
        },
        upscale: async (request: { image: { bytes: Uint8Array }; scale: number }, context: { signal: AbortSignal }) => {
          context.signal.throwIfAborted();
          const image = await inspectImage(request.image.bytes);
          const bytes = new Uint8Array(await sharp(request.image.bytes).resize(image.width * request.scale).png().toBuffer());
          return { images: [await inspectImage(bytes)] };
        },
      } as never,
      health: async () => ({ ok: true }),
    }),
  }),
  {
    requests: { [halftone]: (image: unknown) => ({ image, dotSize: 4 }) } as never,
    check: {
      [halftone]: (result: { metadata?: Record<string, unknown> }) => {
        expect(result.metadata).toEqual({ dotSize: 4 });
        checked.push('halftone');
      },
    } as never,
  },
);

afterAll(() => {
  expect(checked, 'the plugin\'s own check ran').toEqual(['halftone']);
});

describe('the provider contract says what is wrong with a provider that breaks it', () => {
  const image = async () => inspectImage(await solidPng(8, 8));
  /** A provider handling `capability` with `handler` (any capability name, any answer). */
  const providerOf = (capability: string, handler: unknown) => defineProvider({ id: 'odd', models: [{ id: 'odd-1', capabilities: [capability as Capability] }], handlers: { [capability]: handler } as never });
  const answering = (answer: unknown) => async (_request: unknown, context: { signal: AbortSignal }) => (context.signal.throwIfAborted(), answer);

  it('asks for a request for a capability of its own named like an Object.prototype key (constructor, toString, …)', async () => {
    for (const capability of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const provider = providerOf(capability, answering({ images: [await image()] }));
      const noRequest = new RegExp(`no standard request for capability '${capability}'`);
      await expect(providerContractChecks.answersEveryCapability(provider)).rejects.toThrow(noRequest);
      // A requests or check object without the key does not lend Object.prototype's function either.
      await expect(providerContractChecks.answersEveryCapability(provider, { requests: {}, check: {} })).rejects.toThrow(noRequest);
      await expect(providerContractChecks.doesNoWorkWhenCancelled(provider, { requests: {} })).rejects.toThrow(noRequest);
      await expect(providerContractChecks.answersEveryCapability(provider, { requests: { [capability]: (sample: unknown) => ({ image: sample }) } as never })).resolves.toBeUndefined();
    }
  });

  it('fails a handler answering something that is not a result object with a message, not a TypeError', async () => {
    for (const [answer, said] of [[null, 'null'], [undefined, 'undefined'], ['done', 'the string "done"'], [7, 'the number 7'], [[], 'an array']] as const) {
      const failure = await providerContractChecks.answersEveryCapability(providerOf('upscale', answering(answer))).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(TypeError);
      expect((failure as Error).message).toBe(`Provider odd: the 'upscale' handler answered ${said}, not a result object (e.g. { images: [...] })`);
    }
    await expect(providerContractChecks.answersEveryCapability(providerOf('upscale', answering({})))).rejects.toThrow(/odd: the 'upscale' result has an images array/);
    await expect(providerContractChecks.answersEveryCapability(providerOf('upscale', undefined))).rejects.toThrow("Provider odd declares 'upscale' but its handler is undefined, not a function");
  });

  it('fails a provider that declares no capability in the first check, and the cancel check asks it nothing', async () => {
    const none = defineProvider({ id: 'empty', models: [], handlers: {}, health: async () => ({ ok: true }) });
    await expect(providerContractChecks.answersEveryCapability(none)).rejects.toThrow(/^Provider empty declares no capability/);
    await expect(providerContractChecks.doesNoWorkWhenCancelled(none)).resolves.toBeUndefined();
    await expect(providerContractChecks.reportsHealth(none)).resolves.toBeUndefined();
  });
});

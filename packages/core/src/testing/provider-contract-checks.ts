import sharp from 'sharp';
import { expect } from 'vitest';
import { capabilities, type Capability, type CapabilityRequest, type CapabilityResult, type ImageData, type Provider } from '@darkroom/plugin-api';
import { memoryCheckpoint } from '../jobs/scope-checkpoint.js';
import { inspectImage } from '../images/inspect-image.js';

/**
 * How the contract exercises capabilities it has no standard request for: a plugin that adds its
 * own capability (by augmenting `CapabilitySpec` of `@darkroom/plugin-api`) passes a request for it,
 * and may replace the request of a built-in one. `sampleImage` is a 96×64 PNG for requests that need
 * an image. A result that has `images` is checked like any image result (each image's declared
 * mime type and size match its bytes); `check` adds assertions of the plugin's own (throw to fail).
 */
export interface ProviderContractOptions {
  requests?: { [C in Capability]?: (sampleImage: ImageData) => CapabilityRequest<C> | Promise<CapabilityRequest<C>> };
  check?: { [C in Capability]?: (result: CapabilityResult<C>) => void | Promise<void> };
}

type BuiltInCapability = (typeof capabilities)[number];

async function sampleImage(): Promise<ImageData> {
  const bytes = new Uint8Array(await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 180, g: 120, b: 60 } } }).png().toBuffer());
  return inspectImage(bytes);
}

/** Black with a white square: what to remove. */
async function sampleMask(): Promise<ImageData> {
  const square = await sharp({ create: { width: 24, height: 24, channels: 3, background: 'white' } }).png().toBuffer();
  return inspectImage(new Uint8Array(await sharp({ create: { width: 96, height: 64, channels: 3, background: 'black' } }).composite([{ input: square, left: 36, top: 20 }]).png().toBuffer()));
}

/** A standard request for each built-in capability, on small generated images. */
async function builtInRequests(): Promise<{ [C in BuiltInCapability]: CapabilityRequest<C> }> {
  const image = await sampleImage();
  const mask = await sampleMask();
  return {
    'text-to-image': { prompt: 'a small test scene', width: 128, height: 128 },
    'image-to-image': { image, prompt: 'a variation', strength: 0.5 },
    upscale: { image, scale: 2 },
    'remove-background': { image },
    inpaint: { image, mask },
    outpaint: { image, left: 16, right: 16, top: 0, bottom: 0 },
    relight: { image, direction: 'left', intensity: 0.5 },
    'style-transfer': { image, style: 'sepia' },
    enhance: { image, denoise: 0.3, sharpen: 0.3, autoLevels: true },
    edit: { image, instruction: 'Make the sky pink; keep everything else the same.' },
    caption: { image },
    intent: { message: 'create a lighthouse, then upscale it', tools: [{ name: 'generate', description: 'Generate', parameters: { type: 'object', properties: { prompt: { type: 'string' } } } }, { name: 'upscale', description: 'Upscale', parameters: { type: 'object', properties: {} } }] },
    'refine-prompt': { prompt: 'a cat' },
  };
}

/** `record[key]` when the record itself has it: a capability named `constructor` or `toString` is not found on Object.prototype. */
function own<T>(record: Partial<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

const describeValue = (value: unknown) =>
  value === null || value === undefined ? String(value)
  : Array.isArray(value) ? 'an array'
  : typeof value === 'object' ? 'an object'
  : typeof value === 'function' ? 'a function'
  : `the ${typeof value} ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;

async function sampleRequest(capability: Capability, options: ProviderContractOptions): Promise<unknown> {
  const request = own(options.requests as Record<string, (image: ImageData) => unknown> | undefined, capability);
  if (request) return request(await sampleImage());
  const standard = own(await builtInRequests(), capability);
  if (standard !== undefined) return standard;
  throw new Error(`The provider contract has no standard request for capability '${capability}': pass one as describeProviderContract(name, open, { requests: { '${capability}': (sampleImage) => ({ ... }) } }).`);
}

/**
 * The handler for a capability with its sample request, ready to be called as the provider manager
 * calls it. What is wrong before the call (no handler, no model, no request) throws here, so a check
 * that expects the call to reject cannot pass on it.
 */
async function prepareCall(provider: Provider, capability: Capability, options: ProviderContractOptions): Promise<(signal: AbortSignal) => Promise<unknown>> {
  const handler = own(provider.handlers as Record<string, unknown>, capability);
  if (typeof handler !== 'function') throw new Error(`Provider ${provider.id} declares '${capability}' but its handler is ${describeValue(handler)}, not a function`);
  const model = provider.defaultModel(capability);
  if (!model) throw new Error(`Provider ${provider.id} declares '${capability}' but lists no model for it`);
  const request = await sampleRequest(capability, options);
  return async (signal) => (handler as (request: unknown, context: unknown) => Promise<unknown>)(request, { signal, model: model.id, checkpoint: memoryCheckpoint() });
}

/** The checks `describeProviderContract` runs, one per test, each throwing a message that says what is wrong. */
export const providerContractChecks = {
  /** Each declared capability answers a standard request with a result of the right shape. */
  async answersEveryCapability(provider: Provider, options: ProviderContractOptions = {}): Promise<void> {
    if (provider.capabilities.length === 0) throw new Error(`Provider ${provider.id} declares no capability: give defineProvider() a handler for at least one (handlers: { upscale: async (request, context) => … })`);
    for (const capability of provider.capabilities) {
      const answer = await (await prepareCall(provider, capability, options))(new AbortController().signal);
      if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
        throw new Error(`Provider ${provider.id}: the '${capability}' handler answered ${describeValue(answer)}, not a result object (e.g. { images: [...] })`);
      }
      const result = answer as Record<string, unknown>;
      if (capability === 'caption') expect(result, capability).toEqual({ text: expect.any(String) });
      else if (capability === 'intent') expect(result.calls, capability).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.any(String), args: expect.any(Object) })]));
      else if (capability === 'refine-prompt') expect(result.refined, capability).toEqual(expect.stringMatching(/\S/));
      else if (Array.isArray(result.images) || capabilities.includes(capability as BuiltInCapability)) {
        expect(Array.isArray(result.images), `${provider.id}: the '${capability}' result has an images array`).toBe(true);
        const images = result.images as ImageData[];
        expect(images.length, capability).toBeGreaterThan(0);
        for (const image of images) {
          const checked = await inspectImage(image.bytes);
          expect({ mimeType: checked.mimeType, width: checked.width, height: checked.height }, capability).toEqual({ mimeType: image.mimeType, width: image.width, height: image.height });
        }
      }
      const check = own(options.check as Record<string, (value: unknown) => void | Promise<void>> | undefined, capability);
      await check?.(result);
    }
  },

  /** Health answers, and every model serves at least one capability. */
  async reportsHealth(provider: Provider): Promise<void> {
    expect(await provider.health?.()).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
    for (const model of provider.models) expect(model.capabilities.length).toBeGreaterThan(0);
  },

  /** A call whose signal is already aborted rejects (does no work). A provider with no capability has nothing to call (the first check fails it). */
  async doesNoWorkWhenCancelled(provider: Provider, options: ProviderContractOptions = {}): Promise<void> {
    const capability = provider.capabilities[0];
    if (capability === undefined) return;
    const run = await prepareCall(provider, capability, options);
    const controller = new AbortController();
    controller.abort(new Error('cancelled before the call'));
    await expect(run(controller.signal)).rejects.toBeDefined();
  },
};

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { capabilities, type Capability, type CapabilityRequest, type CapabilityResult, type ImageData, type Provider } from '@darkroom/plugin-api';
import { memoryCheckpoint } from '../jobs/scope-checkpoint.js';
import { inspectImage } from '../images/inspect-image.js';

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

type BuiltInCapability = (typeof capabilities)[number];

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

async function sampleRequest(capability: Capability, options: ProviderContractOptions): Promise<unknown> {
  const own = options.requests?.[capability] as ((image: ImageData) => unknown) | undefined;
  if (own) return own(await sampleImage());
  const standard = await builtInRequests();
  if (capability in standard) return standard[capability as BuiltInCapability];
  throw new Error(`The provider contract has no standard request for capability '${capability}': pass one as describeProviderContract(name, open, { requests: { '${capability}': (sampleImage) => ({ ... }) } }).`);
}

/**
 * What every provider promises, whatever its backend: each declared capability answers a standard
 * request with the right shape, every capability has a model, health answers, and a call whose
 * signal is already aborted does no work. Run it over every provider (local, cloud ones on fakes).
 */
export function describeProviderContract(name: string, open: () => Promise<{ provider: Provider; close?: () => Promise<void> }>, options: ProviderContractOptions = {}): void {
  describe(`provider contract: ${name}`, () => {
    it('answers every capability it declares with the right shape', { timeout: 120_000 }, async () => {
      const { provider, close } = await open();
      try {
        expect(provider.capabilities.length).toBeGreaterThan(0);
        for (const capability of provider.capabilities) {
          expect(provider.defaultModel(capability), `${capability} has a model`).toBeDefined();
          const handler = provider.handlers[capability] as (request: unknown, context: unknown) => Promise<Record<string, unknown>>;
          const result = await handler(await sampleRequest(capability, options), { signal: new AbortController().signal, model: provider.defaultModel(capability)!.id, checkpoint: memoryCheckpoint() });
          if (capability === 'caption') expect(result, capability).toEqual({ text: expect.any(String) });
          else if (capability === 'intent') expect(result.calls, capability).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.any(String), args: expect.any(Object) })]));
          else if (capability === 'refine-prompt') expect(result.refined, capability).toEqual(expect.stringMatching(/\S/));
          else if (Array.isArray(result.images) || capabilities.includes(capability as BuiltInCapability)) {
            const images = result.images as ImageData[];
            expect(images.length, capability).toBeGreaterThan(0);
            for (const image of images) {
              const checked = await inspectImage(image.bytes);
              expect({ mimeType: checked.mimeType, width: checked.width, height: checked.height }, capability).toEqual({ mimeType: image.mimeType, width: image.width, height: image.height });
            }
          }
          const check = options.check?.[capability] as ((value: unknown) => void | Promise<void>) | undefined;
          await check?.(result);
        }
      } finally {
        await close?.();
      }
    });

    it('reports its health and lists its models', async () => {
      const { provider, close } = await open();
      try {
        expect(await provider.health?.()).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
        for (const model of provider.models) expect(model.capabilities.length).toBeGreaterThan(0);
      } finally {
        await close?.();
      }
    });

    it('does no work when the call is already cancelled', async () => {
      const { provider, close } = await open();
      try {
        const capability = provider.capabilities[0]!;
        const controller = new AbortController();
        controller.abort(new Error('cancelled before the call'));
        const handler = provider.handlers[capability] as (request: unknown, context: unknown) => Promise<unknown>;
        await expect(handler(await sampleRequest(capability, options), { signal: controller.signal, model: provider.defaultModel(capability)!.id, checkpoint: memoryCheckpoint() })).rejects.toBeDefined();
      } finally {
        await close?.();
      }
    });
  });
}

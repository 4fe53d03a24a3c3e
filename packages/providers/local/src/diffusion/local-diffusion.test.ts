import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectImage, type ImageData, type Provider, type ProviderCallContext } from '@darkroom/core';
import { createLocalProvider, placeholderModelId } from '../create-local-provider.js';
import { writeTinyDiffusionModel } from './testing-diffusion-models.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-local-diffusion-'));
const plain = writeTinyDiffusionModel(join(directory, 'plain'), { family: 'sd', schedulerConfig: { _class_name: 'DDIMScheduler' } });
const inpainting = writeTinyDiffusionModel(join(directory, 'inpainting'), { family: 'sd', inpainting: true, schedulerConfig: { _class_name: 'DDIMScheduler' } });
const xl = writeTinyDiffusionModel(join(directory, 'xl'), { family: 'sdxl', withoutVaeEncoder: true });
const steps = 4;
let local: Provider;

beforeAll(() => {
  local = createLocalProvider({
    diffusion: { models: [{ id: 'tiny', path: plain.path }, { id: 'tiny-inpainting', path: inpainting.path }, { id: 'tiny-xl', path: xl.path, steps: 2, guidance: 5 }], steps },
  });
});
afterAll(async () => {
  await local.close?.();
  rmSync(directory, { recursive: true, force: true });
});

const call = (model: string, extra: Partial<ProviderCallContext> = {}): ProviderCallContext =>
  ({ signal: new AbortController().signal, model, checkpoint: undefined as never, ...extra }) as ProviderCallContext;
const same = (a: ImageData, b: ImageData) => Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
const rawOf = async (image: ImageData) => sharp(image.bytes).raw().toBuffer({ resolveWithObject: true });

/** A smooth RGB test picture (8-bit PNG), `width × height`. */
async function picture(width: number, height: number, options: { alpha?: boolean; deep?: boolean } = {}): Promise<ImageData> {
  const channels = options.alpha ? 4 : 3;
  const white = options.deep ? 65535 : 255;
  const pixels = options.deep ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * channels;
      pixels[at] = Math.round((white * x) / width);
      pixels[at + 1] = Math.round((white * y) / height);
      pixels[at + 2] = Math.round(white * (0.5 + 0.4 * Math.sin((x + y) / 7)));
      if (options.alpha) pixels[at + 3] = Math.round(white * (0.3 + (0.7 * x) / width));
    }
  }
  const png = sharp(pixels, { raw: { width, height, channels } }).toColourspace(options.deep ? 'rgb16' : 'srgb').png();
  return inspectImage(new Uint8Array(await png.toBuffer()));
}

/** A black mask with a white rectangle. */
async function rectangleMask(width: number, height: number, box: { left: number; top: number; width: number; height: number }): Promise<ImageData> {
  const white = await sharp({ create: { width: box.width, height: box.height, channels: 3, background: 'white' } }).png().toBuffer();
  return inspectImage(new Uint8Array(await sharp({ create: { width, height, channels: 3, background: 'black' } }).composite([{ input: white, left: box.left, top: box.top }]).png().toBuffer()));
}

describe('local diffusion models', () => {
  it('are listed with what each serves; the placeholder is gone and the right model is each capability\'s default', () => {
    expect(local.models.find((model) => model.id === placeholderModelId)).toBeUndefined();
    expect(local.models.filter((model) => model.id.startsWith('tiny')).map((model) => [model.id, model.capabilities])).toEqual([
      ['tiny', ['text-to-image', 'image-to-image', 'inpaint', 'outpaint']],
      ['tiny-inpainting', ['text-to-image', 'image-to-image', 'inpaint', 'outpaint']],
      ['tiny-xl', ['text-to-image']],
    ]);
    expect(local.models.find((model) => model.id === 'tiny-xl')!.description).toMatch(/no VAE encoder/);
    expect(local.models.find((model) => model.id === 'tiny-inpainting')!.description).toMatch(/inpainting UNet/);
    expect(['text-to-image', 'image-to-image', 'inpaint', 'outpaint'].map((capability) => local.defaultModel(capability as never)!.id)).toEqual(['tiny', 'tiny', 'tiny-inpainting', 'tiny-inpainting']);
    // The classic operations stay available by name.
    expect(local.models.find((model) => model.id === 'edge-continuation')).toBeDefined();
  });

  it('text-to-image: the asked size, n images from seed, seed + 1, …, the same bytes for the same seed, progress per step', async () => {
    const progress: number[] = [];
    const request = { prompt: 'a photo of a cat', negativePrompt: 'a dog', width: 64, height: 64, seed: 5, count: 2 };
    const first = await local.handlers['text-to-image']!(request, call('tiny', { progress: (percent) => progress.push(percent) }));
    expect(first.images.map((image) => [image.width, image.height, image.mimeType])).toEqual([[64, 64, 'image/png'], [64, 64, 'image/png']]);
    expect(first).toMatchObject({ seed: 5, metadata: { method: 'diffusion', model: 'tiny', steps, guidance: 7.5, seeds: [5, 6], scheduler: 'ddim', execution_providers: ['cpu'] } });
    expect(first.metadata).not.toHaveProperty('placeholder');
    // Two images of `steps` steps and one decode each; strictly increasing to 100.
    expect(progress).toHaveLength(2 * (steps + 1));
    expect(progress.at(-1)).toBe(100);
    expect(progress.every((value, index) => index === 0 || value > progress[index - 1]!)).toBe(true);

    const again = await local.handlers['text-to-image']!(request, call('tiny'));
    const next = await local.handlers['text-to-image']!({ ...request, seed: 6, count: 1 }, call('tiny'));
    const other = await local.handlers['text-to-image']!({ ...request, seed: 7, count: 1 }, call('tiny'));
    expect(same(first.images[0]!, again.images[0]!) && same(first.images[1]!, again.images[1]!)).toBe(true);
    expect(same(first.images[1]!, next.images[0]!)).toBe(true);
    expect(same(first.images[0]!, first.images[1]!)).toBe(false);
    expect(same(first.images[0]!, other.images[0]!)).toBe(false);
  });

  it('text-to-image at a size that is not a multiple of 64, and on SDXL (two text encoders, text_embeds and time_ids)', async () => {
    const odd = await local.handlers['text-to-image']!({ prompt: 'the cat', width: 72, height: 40, seed: 1, format: 'webp' }, call('tiny'));
    expect(odd.images[0]).toMatchObject({ width: 72, height: 40, mimeType: 'image/webp' });
    expect(odd.metadata).toMatchObject({ generated_size: '128×64' });
    const progress: number[] = [];
    const xlResult = await local.handlers['text-to-image']!({ prompt: 'a photo of a dog', width: 64, height: 64, seed: 3 }, call('tiny-xl', { progress: (percent) => progress.push(percent) }));
    expect(xlResult).toMatchObject({ metadata: { family: 'sdxl', steps: 2, guidance: 5, scheduler: 'euler-ancestral' } });
    expect(xlResult.images[0]).toMatchObject({ width: 64, height: 64 });
    expect(progress).toHaveLength(3);
  });

  it('image-to-image: strength 0 gives the image back through the VAE, a low strength changes less than 1.0, the result has the image\'s size', async () => {
    const image = await picture(64, 64);
    const run = (strength: number) => local.handlers['image-to-image']!({ image, prompt: 'a photo of a cat', strength, seed: 11 }, call('tiny'));
    const [none, low, full] = await Promise.all([run(0), run(0.25), run(1)]);
    const original = await rawOf(image);
    const distance = async (result: { images: ImageData[] }) => {
      const { data } = await rawOf(result.images[0]!);
      let sum = 0;
      for (let index = 0; index < data.length; index += 1) sum += Math.abs(data[index]! - original.data[index]!);
      return sum / data.length;
    };
    // The tiny VAE's round trip is the 8×8 block mean (encoder: average pool, ×scaling factor in;
    // decoder: ÷scaling factor, nearest upsampling): strength 0 answers exactly that.
    const { data: roundTrip } = await rawOf(none.images[0]!);
    for (let y = 0; y < 64; y += 1) {
      for (let x = 0; x < 64; x += 1) {
        for (let channel = 0; channel < 3; channel += 1) {
          let sum = 0;
          for (let dy = 0; dy < 8; dy += 1) for (let dx = 0; dx < 8; dx += 1) sum += original.data[((y - (y % 8) + dy) * 64 + x - (x % 8) + dx) * 3 + channel]!;
          expect(Math.abs(roundTrip[(y * 64 + x) * 3 + channel]! - sum / 64)).toBeLessThanOrEqual(1);
        }
      }
    }
    const [dLow, dFull] = await Promise.all([distance(low), distance(full)]);
    expect(dLow).toBeLessThan(dFull / 2);
    expect(low).toMatchObject({ seed: 11, metadata: { strength: 0.25 } });
    expect(full.images[0]).toMatchObject({ width: 64, height: 64, mimeType: 'image/png' });
    const wide = await local.handlers['image-to-image']!({ image: await picture(80, 56), prompt: '', strength: 0.5, seed: 2 }, call('tiny'));
    expect(wide.images[0]).toMatchObject({ width: 80, height: 56 });
  });

  it.each([
    ['a plain model (known latents blended back each step)', 'tiny'],
    ['a 9-channel inpainting model', 'tiny-inpainting'],
  ])('inpaint with %s: pixels outside the grown mask keep their samples, the masked area is painted', async (_, model) => {
    const image = await picture(64, 64, { alpha: true });
    const mask = await rectangleMask(64, 64, { left: 24, top: 20, width: 14, height: 12 });
    const result = await local.handlers.inpaint!({ image, mask, prompt: 'the cat', seed: 4 }, call(model));
    expect(result.images[0]).toMatchObject({ width: 64, height: 64, mimeType: 'image/png' });
    const [before, after] = await Promise.all([rawOf(image), rawOf(result.images[0]!)]);
    expect(after.info.channels).toBe(4);
    let changedInside = 0;
    for (let y = 0; y < 64; y += 1) {
      for (let x = 0; x < 64; x += 1) {
        // The mask grows by 1 pixel on a 64-pixel image (1/150 of the short side, at least 1).
        const grown = x >= 23 && x <= 38 && y >= 19 && y <= 32;
        for (let channel = 0; channel < 4; channel += 1) {
          const at = (y * 64 + x) * 4 + channel;
          if (!grown || channel === 3) expect(after.data[at], `(${x}, ${y}) channel ${channel}`).toBe(before.data[at]);
          else if (x >= 24 && x < 38 && y >= 20 && y < 32 && after.data[at] !== before.data[at]) changedInside += 1;
        }
      }
    }
    expect(changedInside).toBeGreaterThan(14 * 12);
    expect(result.metadata).toMatchObject({ method: 'diffusion', model, masked_pixels: 16 * 14 });
  });

  it('outpaint: the canvas grows, the original pixels stay bit-exact (16-bit with alpha), the borders are generated', async () => {
    const image = await picture(48, 40, { alpha: true, deep: true });
    const result = await local.handlers.outpaint!({ image, left: 8, right: 8, top: 12, bottom: 12, prompt: 'the sea', seed: 9 }, call('tiny-inpainting'));
    expect(result.images[0]).toMatchObject({ width: 64, height: 64, mimeType: 'image/png' });
    const read16 = (bytes: Uint8Array) => sharp(bytes).toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const [before, after] = await Promise.all([read16(image.bytes), read16(result.images[0]!.bytes)]);
    expect([after.info.channels, before.info.channels]).toEqual([4, 4]);
    const [original, expanded] = [new Uint16Array(before.data.buffer, before.data.byteOffset, before.data.length / 2), new Uint16Array(after.data.buffer, after.data.byteOffset, after.data.length / 2)];
    for (let y = 0; y < 40; y += 1) {
      const row = original.subarray(y * 48 * 4, (y + 1) * 48 * 4);
      expect(Array.from(expanded.subarray(((y + 12) * 64 + 8) * 4, ((y + 12) * 64 + 56) * 4))).toEqual(Array.from(row));
    }
    // New borders are opaque and generated.
    expect(expanded[3]).toBe(65535);
    expect(result.metadata).toMatchObject({ method: 'diffusion', model: 'tiny-inpainting', left: 8, right: 8, top: 12, bottom: 12 });
  });

  it('cancelling stops between steps: no step starts after the abort, and the model serves the next request', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const run = local.handlers['text-to-image']!(
      { prompt: 'a cat', width: 64, height: 64, seed: 1, steps: 10 },
      call('tiny', { signal: controller.signal, progress: (percent) => {
        progress.push(percent);
        if (progress.length === 2) controller.abort(new Error('stop here'));
      } }),
    );
    await expect(run).rejects.toThrow('stop here');
    expect(progress).toHaveLength(2);
    const after = await local.handlers['text-to-image']!({ prompt: 'a cat', width: 64, height: 64, seed: 1, steps: 2 }, call('tiny'));
    expect(after.images).toHaveLength(1);
  });

  it('refuses a mask of another size, and a model that cannot take an image is not offered for image inputs', async () => {
    const image = await picture(64, 64);
    await expect(local.handlers.inpaint!({ image, mask: await rectangleMask(32, 32, { left: 1, top: 1, width: 4, height: 4 }) }, call('tiny'))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(local.models.find((model) => model.id === 'tiny-xl')!.capabilities).not.toContain('image-to-image');
  });
});

describe('diffusion settings', () => {
  it('unload a model\'s pipeline once it has been idle for idleMs, and load it again on the next request', async () => {
    const provider = createLocalProvider({ diffusion: { models: { tiny: plain.path }, idleMs: 20, steps: 1 } });
    try {
      await provider.handlers['text-to-image']!({ prompt: 'a', width: 64, height: 64, seed: 1 }, call('tiny'));
      const loaded = async () => ((await provider.health!()).details as { onnx_models_loaded: string[]; diffusion_models: Array<{ loaded: boolean }> });
      expect((await loaded()).onnx_models_loaded.length).toBeGreaterThanOrEqual(3);
      for (let wait = 0; wait < 100 && (await loaded()).onnx_models_loaded.length > 0; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await loaded()).toMatchObject({ onnx_models_loaded: [], diffusion_models: [{ loaded: false }] });
      const again = await provider.handlers['text-to-image']!({ prompt: 'a', width: 64, height: 64, seed: 1 }, call('tiny'));
      expect(again.images).toHaveLength(1);
    } finally {
      await provider.close?.();
    }
  });

  it('run an SDXL inpainting model (9 channels beside text_embeds and time_ids), and an LCM scheduler', async () => {
    const xlInpainting = writeTinyDiffusionModel(join(directory, 'xl-inpainting'), { family: 'sdxl', inpainting: true });
    const provider = createLocalProvider({ diffusion: { models: [{ id: 'xl-inpainting', path: xlInpainting.path, steps: 2 }, { id: 'lcm', path: plain.path, scheduler: 'lcm' }] } });
    try {
      const image = await picture(64, 64);
      const mask = await rectangleMask(64, 64, { left: 8, top: 8, width: 20, height: 20 });
      await expect(provider.handlers.inpaint!({ image, mask, prompt: 'the cat', seed: 2 }, call('xl-inpainting'))).resolves.toMatchObject({ images: [{ width: 64, height: 64 }], metadata: { family: 'sdxl', inpainting_model: true } });
      // LCM defaults: 4 steps, guidance 8 (here as classifier-free guidance: the tiny UNet takes no timestep_cond).
      await expect(provider.handlers['text-to-image']!({ prompt: 'the dog', width: 64, height: 64, seed: 2 }, call('lcm'))).resolves.toMatchObject({ metadata: { scheduler: 'lcm', steps: 4, guidance: 8 } });
    } finally {
      await provider.close?.();
    }
  });

  it('run older export variants: int64 [steps] or float [batch] timesteps, int32 input_ids, a sampling VAE encoder, UNet weights in external data', async () => {
    const older = writeTinyDiffusionModel(join(directory, 'older'), { family: 'sd', timestep: 'int64-vector', inputIds: 'int32', vaeEncoderOutput: 'latent_sample', unetExternalData: true });
    const script = writeTinyDiffusionModel(join(directory, 'script'), { family: 'sd', timestep: 'float-vector', withoutComponentConfigs: true });
    const provider = createLocalProvider({ diffusion: { models: { older: older.path, script: script.path }, steps: 2 } });
    try {
      const image = await picture(64, 64);
      await expect(provider.handlers['image-to-image']!({ image, prompt: 'a dog', strength: 0.5, seed: 1 }, call('older'))).resolves.toMatchObject({ images: [{ width: 64, height: 64 }] });
      await expect(provider.handlers['text-to-image']!({ prompt: 'a dog', width: 64, height: 64, seed: 1 }, call('script'))).resolves.toMatchObject({ images: [{ width: 64, height: 64 }] });
    } finally {
      await provider.close?.();
    }
  });

  it('report a folder missing a file on the first request and in health, naming the file', async () => {
    const broken = writeTinyDiffusionModel(join(directory, 'broken'), { family: 'sd' });
    rmSync(join(broken.path, 'text_encoder', 'model.onnx'));
    const provider = createLocalProvider({ diffusion: { models: { broken: broken.path } } });
    try {
      await expect(provider.handlers['text-to-image']!({ prompt: 'a', width: 64, height: 64 }, call('broken'))).rejects.toMatchObject({ code: 'configuration', message: expect.stringContaining('text_encoder/model.onnx') });
      const health = await provider.health!();
      expect(health.message).toMatch(/diffusion model broken: .*text_encoder\/model.onnx/);
      expect((health.details as { diffusion_models: Array<{ problem?: string }> }).diffusion_models[0]!.problem).toBeDefined();
    } finally {
      await provider.close?.();
    }
  });

  it('are configuration errors when wrong, saying what to change', () => {
    expect(() => createLocalProvider({ onnxRuntime: 'onnxruntime-not-installed', diffusion: { models: { tiny: plain.path } } })).toThrow(/diffusion model "tiny"/);
    expect(() => createLocalProvider({ diffusion: { models: { tiny: join(directory, 'nowhere') } } })).toThrow(/does not exist: .*nowhere; point it at an Optimum ONNX export/);
    expect(() => createLocalProvider({ diffusion: { models: [{ id: 'Bad Id', path: plain.path }] } })).toThrow(/lowercase letters/);
    expect(() => createLocalProvider({ diffusion: { models: [{ id: 'lanczos3', path: plain.path }] } })).toThrow(/two models with the id "lanczos3"/);
    expect(() => createLocalProvider({ diffusion: { models: { tiny: plain.path }, steps: 0 } })).toThrow(/integer from 1 to 100/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImage, type ImageData } from '@darkroom/core';
import { createLocalProvider } from './create-local-provider.js';

const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');
const signal = new AbortController().signal;
const local = createLocalProvider();
const upscale = local.handlers.upscale!;
const generate = local.handlers['text-to-image']!;

async function psnr(a: Uint8Array, b: Uint8Array): Promise<number> {
  const [left, right] = await Promise.all([a, b].map((bytes) => sharp(bytes).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let index = 0; index < left!.length; index += 1) sum += (left![index]! - right![index]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / left!.length));
}

describe('local upscale (Lanczos)', () => {
  it('produces exactly the requested size and beats nearest-neighbour on a real photo', async () => {
    const original = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'coffee.png'))));
    // Shrink by 2, upscale back, and compare against the original.
    const small = new Uint8Array(await sharp(original.bytes).resize(300, 200).png().toBuffer());
    const input: ImageData = { bytes: small, mimeType: 'image/png', width: 300, height: 200 };
    const result = await upscale({ image: input, scale: 2 }, { signal, model: 'lanczos3' });
    const image = result.images[0]!;
    expect([image.width, image.height]).toEqual([600, 400]);
    expect(await sharp(image.bytes).metadata()).toMatchObject({ width: 600, height: 400, format: 'png' });
    const nearest = new Uint8Array(await sharp(small).resize(600, 400, { kernel: 'nearest' }).png().toBuffer());
    const lanczos = await psnr(image.bytes, original.bytes);
    expect(lanczos).toBeGreaterThan(await psnr(nearest, original.bytes));
  });

  it('keeps JPEG as JPEG unless asked, and sharpens on request', async () => {
    const rocket = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'rocket.jpg'))));
    const jpeg = await upscale({ image: rocket, scale: 2 }, { signal, model: 'lanczos3' });
    expect(jpeg.images[0]!.mimeType).toBe('image/jpeg');
    const webp = await upscale({ image: rocket, scale: 2, sharpen: true, format: 'webp' }, { signal, model: 'lanczos3' });
    expect(webp.images[0]).toMatchObject({ mimeType: 'image/webp', width: 1280, height: 854 });
    expect(webp.metadata).toMatchObject({ sharpened: true });
  });

  it('turns a truncated image into an invalid_image error', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'chelsea.png'))).subarray(0, 3000);
    await expect(upscale({ image: { bytes, mimeType: 'image/png', width: 451, height: 300 }, scale: 2 }, { signal, model: 'lanczos3' })).rejects.toMatchObject({ code: 'invalid_image', status: 400 });
  });
});

describe('local placeholder generator', () => {
  it('is deterministic for a prompt and seed, differs across seeds, and says it is a placeholder', async () => {
    const request = { prompt: 'a sunset', width: 128, height: 96, seed: 3 };
    const first = await generate(request, { signal, model: 'placeholder-not-ai' });
    const again = await generate(request, { signal, model: 'placeholder-not-ai' });
    const other = await generate({ ...request, seed: 4 }, { signal, model: 'placeholder-not-ai' });
    expect(Buffer.from(first.images[0]!.bytes).equals(Buffer.from(again.images[0]!.bytes))).toBe(true);
    expect(Buffer.from(first.images[0]!.bytes).equals(Buffer.from(other.images[0]!.bytes))).toBe(false);
    expect(first).toMatchObject({ seed: 3, metadata: { placeholder: true, notice: expect.stringMatching(/not an AI-generated image/) } });
    expect(await sharp(first.images[0]!.bytes).metadata()).toMatchObject({ width: 128, height: 96 });
    expect(local.models.find((model) => model.id === 'placeholder-not-ai')).toMatchObject({ placeholder: true, description: expect.stringMatching(/NOT AI/) });
  });
});

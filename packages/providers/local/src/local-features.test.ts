import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImage, type ImageData } from '@darkroom/core';
import { createLocalProvider } from './create-local-provider.js';
import { fixtures, horseOnGrass, maskIoU } from './testing-fixtures.js';

const local = createLocalProvider();
const context = { signal: new AbortController().signal, model: 'test' };
const photo = async (name: string) => inspectImage(new Uint8Array(readFileSync(join(fixtures, name))));
type Region = { left: number; top: number; width: number; height: number };
/** Per-channel mean and standard deviation of materialised pixels (sharp's stats() ignores extract()). */
async function channelStats(image: ImageData, region?: Region, greyscale = false) {
  let pipeline = sharp(image.bytes).removeAlpha();
  if (region) pipeline = pipeline.extract(region);
  if (greyscale) pipeline = pipeline.greyscale();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return Array.from({ length: info.channels }, (_, channel) => {
    let sum = 0;
    let squares = 0;
    const count = data.length / info.channels;
    for (let index = channel; index < data.length; index += info.channels) {
      sum += data[index]!;
      squares += data[index]! ** 2;
    }
    const mean = sum / count;
    return { mean, stdev: Math.sqrt(squares / count - mean * mean) };
  });
}
const luminance = async (image: ImageData, region: Region) => (await channelStats(image, region, true))[0]!.mean;
afterAll(() => local.close?.());

describe('background removal (IS-Net, onnxruntime)', () => {
  it('finds the horse silhouette on grass with IoU ≥ 0.97 and a real alpha channel', { timeout: 120_000 }, async () => {
    const scene = await horseOnGrass();
    const image = await inspectImage(scene.png);
    const mask = await local.handlers['remove-background']!({ image, maskOnly: true }, context);
    expect(await maskIoU(mask.images[0]!.bytes, scene.truth)).toBeGreaterThanOrEqual(0.97);
    const cutout = await local.handlers['remove-background']!({ image }, context);
    const meta = await sharp(cutout.images[0]!.bytes).metadata();
    expect({ format: meta.format, channels: meta.channels, hasAlpha: meta.hasAlpha, width: meta.width, height: meta.height }).toEqual({ format: 'png', channels: 4, hasAlpha: true, width: scene.width, height: scene.height });
    const alpha = await sharp(cutout.images[0]!.bytes).extractChannel(3).raw().toBuffer();
    expect(alpha[0]).toBeLessThan(20);
    expect(alpha.reduce((max, value) => Math.max(max, value), 0)).toBeGreaterThan(235);
  });
});

describe('relight', () => {
  it.each([
    ['left', 'brighter on the left, darker on the right'],
    ['right', 'brighter on the right, darker on the left'],
  ] as const)('from the %s: %s', async (direction) => {
    const image = await photo('coffee.png');
    const result = (await local.handlers.relight!({ image, direction, intensity: 0.7 }, context)).images[0]!;
    const half = { top: 0, width: Math.floor(image.width / 4), height: image.height };
    const left = { ...half, left: 0 };
    const right = { ...half, left: image.width - half.width };
    const [lit, dark] = direction === 'left' ? [left, right] : [right, left];
    expect(await luminance(result, lit)).toBeGreaterThan((await luminance(image, lit)) + 10);
    expect(await luminance(result, dark)).toBeLessThan((await luminance(image, dark)) - 10);
  });

  it('warms the light', async () => {
    const image = await photo('coffee.png');
    const warm = (await local.handlers.relight!({ image, direction: 'top', intensity: 0.6, warmth: 1 }, context)).images[0]!;
    const neutral = (await local.handlers.relight!({ image, direction: 'top', intensity: 0.6, warmth: 0 }, context)).images[0]!;
    const redMinusBlue = async (candidate: ImageData) => {
      const channels = await channelStats(candidate, { left: 0, top: 0, width: image.width, height: 100 });
      return channels[0]!.mean - channels[2]!.mean;
    };
    expect(await redMinusBlue(warm)).toBeGreaterThan((await redMinusBlue(neutral)) + 5);
  });

  it('refuses an unknown direction', async () => {
    await expect(local.handlers.relight!({ image: await photo('coffee.png'), direction: 'sideways', intensity: 0.5 }, context)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('expand', () => {
  it('keeps the original pixels bit-exact and fills the border with edge content, not a flat colour', async () => {
    const image = await photo('chelsea.png');
    const result = (await local.handlers.outpaint!({ image, left: 80, right: 40, top: 30, bottom: 50 }, context)).images[0]!;
    expect([result.width, result.height]).toEqual([image.width + 120, image.height + 80]);
    const inner = await sharp(result.bytes).extract({ left: 80, top: 30, width: image.width, height: image.height }).removeAlpha().raw().toBuffer();
    const original = await sharp(image.bytes).removeAlpha().raw().toBuffer();
    expect(inner.equals(original)).toBe(true);
    const border = await channelStats(result, { left: 0, top: 0, width: 80, height: result.height });
    expect(border[0]!.stdev).toBeGreaterThan(3);
  });
});

describe('object removal', () => {
  it('leaves no trace of a high-contrast object painted onto a photo', async () => {
    const clean = await photo('coffee.png');
    const box = { left: 430, top: 40, width: 60, height: 50 };
    const patch = await sharp({ create: { width: box.width, height: box.height, channels: 3, background: { r: 255, g: 0, b: 255 } } }).png().toBuffer();
    const painted = await inspectImage(new Uint8Array(await sharp(clean.bytes).composite([{ input: patch, left: box.left, top: box.top }]).png().toBuffer()));
    const maskBuffer = await sharp({ create: { width: clean.width, height: clean.height, channels: 3, background: 'black' } })
      .composite([{ input: await sharp({ create: { width: box.width, height: box.height, channels: 3, background: 'white' } }).png().toBuffer(), left: box.left, top: box.top }])
      .png()
      .toBuffer();
    const mask = await inspectImage(new Uint8Array(maskBuffer));
    const result = (await local.handlers.inpaint!({ image: painted, mask }, context)).images[0]!;
    const region = async (image: ImageData) => sharp(image.bytes).removeAlpha().extract(box).raw().toBuffer();
    const meanAbsoluteError = (a: Buffer, b: Buffer) => a.reduce((sum, value, index) => sum + Math.abs(value - b[index]!), 0) / a.length;
    const [cleanRegion, paintedRegion, filledRegion] = await Promise.all([region(clean), region(painted), region(result)]);
    const before = meanAbsoluteError(paintedRegion, cleanRegion);
    const after = meanAbsoluteError(filledRegion, cleanRegion);
    expect(before).toBeGreaterThan(100);
    expect(after).toBeLessThan(before * 0.12);
    // Nothing magenta is left: no pixel has the object's colour signature.
    let magenta = 0;
    for (let index = 0; index < filledRegion.length; index += 3) if (filledRegion[index]! > 200 && filledRegion[index + 1]! < 60 && filledRegion[index + 2]! > 200) magenta += 1;
    expect(magenta).toBe(0);
  });

  it('refuses a mask of the wrong size or an empty mask', async () => {
    const image = await photo('coffee.png');
    const small = await inspectImage(new Uint8Array(await sharp({ create: { width: 10, height: 10, channels: 3, background: 'white' } }).png().toBuffer()));
    await expect(local.handlers.inpaint!({ image, mask: small }, context)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/same size/) });
    const empty = await inspectImage(new Uint8Array(await sharp({ create: { width: image.width, height: image.height, channels: 3, background: 'black' } }).png().toBuffer()));
    await expect(local.handlers.inpaint!({ image, mask: empty }, context)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/marks nothing/) });
  });
});

describe('style presets and enhance', () => {
  it('gives each preset its own look and refuses an unknown one', async () => {
    const image = await photo('rocket.jpg');
    const looks = new Set<string>();
    for (const style of ['noir', 'sepia', 'vintage-film', 'cool-cinematic', 'warm-golden-hour', 'pencil-sketch']) {
      const result = (await local.handlers['style-transfer']!({ image, style }, context)).images[0]!;
      expect([result.width, result.height]).toEqual([image.width, image.height]);
      looks.add((await sharp(result.bytes).resize(8, 8).raw().toBuffer()).toString('hex'));
    }
    expect(looks.size).toBe(6);
    const noir = (await local.handlers['style-transfer']!({ image, style: 'noir' }, context)).images[0]!;
    const channels = await channelStats(noir);
    expect(Math.abs(channels[0]!.mean - channels[2]!.mean)).toBeLessThan(1);
    await expect(local.handlers['style-transfer']!({ image, style: 'glitter' }, context)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Unknown style/) });
  });

  it('stretches a dull image to its full range and keeps its size', async () => {
    const image = await photo('chelsea.png');
    const dull = await inspectImage(new Uint8Array(await sharp(image.bytes).linear(0.4, 70).png().toBuffer()));
    const result = (await local.handlers.enhance!({ image: dull, denoise: 0.3, sharpen: 0.5, autoLevels: true }, context)).images[0]!;
    const before = (await channelStats(dull, undefined, true))[0]!.stdev;
    const after = (await channelStats(result, undefined, true))[0]!.stdev;
    expect(after).toBeGreaterThan(before * 1.8);
    expect([result.width, result.height]).toEqual([image.width, image.height]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImage, type CapabilityResult, type ImageData, type ImageOutputOptions } from '@darkroom/core';
import { createLocalProvider } from './create-local-provider.js';
import { invertModel } from './testing-onnx-models.js';

/**
 * Every kind of input a real client sends (see shared/fixtures/cases/README.md), through every local
 * feature: EXIF orientations 1–8, 8- and 16-bit, grey, grey+alpha, palette+tRNS, RGBA, 1×1 and 2×2.
 * Each case builds its own variants with sharp from raw pixels.
 */
const cases = join(import.meta.dirname, '../../../../../shared/fixtures/cases');
// Background removal runs on a tiny stand-in segmentation model (1 − input, first plane as the mask):
// the decode, resize, alpha and encode path is the real one, at a fraction of IS-Net's time. One case
// below runs the real IS-Net model.
const directory = mkdtempSync(join(tmpdir(), 'darkroom-kinds-'));
writeFileSync(join(directory, 'segment.onnx'), invertModel());
const local = createLocalProvider({ models: { backgroundRemoval: join(directory, 'segment.onnx') }, onnxThreads: 1 });
const context = { signal: new AbortController().signal, model: 'test' };
afterAll(async () => {
  await local.close?.();
  rmSync(directory, { recursive: true, force: true });
});

type Feature = 'upscale' | 'enhance' | 'relight' | 'style' | 'expand' | 'inpaint' | 'remove-background';
const colourFeatures: Feature[] = ['upscale', 'enhance', 'relight', 'style', 'expand', 'inpaint'];

/** A centred mask (white square) of the image's size, for object removal. */
async function centreMask(image: ImageData): Promise<ImageData> {
  const side = Math.max(1, Math.floor(Math.min(image.width, image.height) / 4));
  const square = await sharp({ create: { width: side, height: side, channels: 3, background: 'white' } }).png().toBuffer();
  const bytes = await sharp({ create: { width: image.width, height: image.height, channels: 3, background: 'black' } })
    .composite([{ input: square, left: Math.floor((image.width - side) / 2), top: Math.floor((image.height - side) / 2) }])
    .png()
    .toBuffer();
  return inspectImage(new Uint8Array(bytes));
}

async function run(feature: Feature, image: ImageData, output: ImageOutputOptions = {}, mask?: ImageData): Promise<ImageData> {
  const handlers = local.handlers;
  let result: CapabilityResult<'upscale'>;
  if (feature === 'upscale') result = await handlers.upscale!({ image, scale: 2, ...output }, context);
  else if (feature === 'enhance') result = await handlers.enhance!({ image, denoise: 0.7, sharpen: 0.5, ...output }, context);
  else if (feature === 'relight') result = await handlers.relight!({ image, direction: 'left', intensity: 0.15, ...output }, context);
  else if (feature === 'style') result = await handlers['style-transfer']!({ image, style: 'sepia', ...output }, context);
  else if (feature === 'expand') result = await handlers.outpaint!({ image, left: 3, right: 3, top: 0, bottom: 0, ...output }, context);
  else if (feature === 'inpaint') result = await handlers.inpaint!({ image, mask: mask ?? (await centreMask(image)), ...output }, context);
  else result = await handlers['remove-background']!({ image, ...output }, context);
  return result.images[0]!;
}

/** Width and height the feature's result must have for an input of this size. */
const expectedSize = (feature: Feature, width: number, height: number): [number, number] =>
  feature === 'upscale' ? [width * 2, height * 2] : feature === 'expand' ? [width + 6, height] : [width, height];

/** The result's region that shows the input (expand adds 3 columns each side). */
function inputRegion(feature: Feature, result: { width: number; height: number }) {
  return feature === 'expand' ? { left: 3, top: 0, width: result.width - 6, height: result.height } : { left: 0, top: 0, width: result.width, height: result.height };
}

async function rawOf(bytes: Uint8Array, depth: 'uchar' | 'ushort' = 'uchar') {
  return sharp(bytes).toColourspace(depth === 'ushort' ? 'rgb16' : 'srgb').raw({ depth }).toBuffer({ resolveWithObject: true });
}

describe('EXIF orientation: every feature works on the upright image', () => {
  // Upright: 24×48 (portrait), four quadrants of decreasing brightness TL > TR > BL > BR, so any
  // rotation or mirror shows in the order of the quadrants' means.
  const width = 24;
  const height = 48;
  const quadrantLevels = [250, 180, 110, 40];
  const upright = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const level = quadrantLevels[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]!;
      upright.fill(level, (y * width + x) * 3, (y * width + x + 1) * 3);
    }
  }
  /** The stored pixels and tag a phone would write for this upright picture: found by trying the eight transforms. */
  async function stored(orientation: number): Promise<Uint8Array> {
    const transforms = [
      (image: sharp.Sharp) => image, (image: sharp.Sharp) => image.flop(), (image: sharp.Sharp) => image.flip(), (image: sharp.Sharp) => image.rotate(180),
      (image: sharp.Sharp) => image.rotate(90), (image: sharp.Sharp) => image.rotate(270), (image: sharp.Sharp) => image.rotate(90).flop(), (image: sharp.Sharp) => image.rotate(90).flip(),
    ];
    for (const transform of transforms) {
      const pixels = await transform(sharp(upright, { raw: { width, height, channels: 3 } })).raw().toBuffer({ resolveWithObject: true });
      const bytes = await sharp(pixels.data, { raw: pixels.info as { width: number; height: number; channels: 3 } }).withMetadata({ orientation }).jpeg({ quality: 95 }).toBuffer();
      const shown = await sharp(bytes, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
      if (shown.info.width === width && shown.info.height === height && quadrantMeans(shown.data, width, height, 3).every((mean, index) => Math.abs(mean - quadrantLevels[index]!) < 6)) {
        return new Uint8Array(bytes);
      }
    }
    throw new Error(`no transform gives orientation ${orientation}`);
  }

  function quadrantMeans(data: Uint8Array, w: number, h: number, channels: number, region = { left: 0, top: 0, width: w, height: h }): number[] {
    const sums = [0, 0, 0, 0];
    const counts = [0, 0, 0, 0];
    for (let y = region.top; y < region.top + region.height; y += 1) {
      for (let x = region.left; x < region.left + region.width; x += 1) {
        const quadrant = (y - region.top < region.height / 2 ? 0 : 2) + (x - region.left < region.width / 2 ? 0 : 1);
        sums[quadrant]! += (data[(y * w + x) * channels]! + data[(y * w + x) * channels + 1]! + data[(y * w + x) * channels + 2]!) / 3;
        counts[quadrant]! += 1;
      }
    }
    return sums.map((sum, index) => sum / counts[index]!);
  }

  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`orientation ${orientation}`, { timeout: 60_000 }, async () => {
      const bytes = await stored(orientation);
      const image = await inspectImage(bytes);
      expect([image.width, image.height]).toEqual([width, height]);
      expect((await sharp(image.bytes).metadata()).orientation ?? 1).toBe(1);
      for (const feature of [...colourFeatures, 'remove-background'] as Feature[]) {
        // Masks line up with the upright image: a strip at the top of the bottom-right quadrant is filled from the quadrant above.
        const mask =
          feature === 'inpaint'
            ? await inspectImage(new Uint8Array(await sharp({ create: { width, height, channels: 3, background: 'black' } }).composite([{ input: await sharp({ create: { width: 12, height: 6, channels: 3, background: 'white' } }).png().toBuffer(), left: 12, top: 24 }]).png().toBuffer()))
            : undefined;
        const result = await run(feature, image, {}, mask);
        expect([result.width, result.height], feature).toEqual(expectedSize(feature, width, height));
        const { data, info } = await rawOf(result.bytes);
        expect((await sharp(result.bytes).metadata()).orientation ?? 1, feature).toBe(1);
        expect([info.width, info.height], feature).toEqual([result.width, result.height]);
        const [tl, tr, bl, br] = quadrantMeans(data, info.width, info.height, info.channels, inputRegion(feature, info));
        if (feature === 'inpaint') {
          // The masked part of BR is filled from its surroundings: brighter than BR was, the rest intact.
          expect(tl! > tr! && tr! > bl!, `${feature}: ${[tl, tr, bl, br]}`).toBe(true);
          expect(br!, feature).toBeGreaterThan(40);
        } else {
          expect(tl! > tr! && tr! > bl! && bl! > br!, `${feature}: ${[tl, tr, bl, br].map(Math.round)}`).toBe(true);
        }
      }
    });
  }

  it('the phone fixture: upscale ×2 gives 80×160, red on top, no orientation tag', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(cases, 'exif-orientation-6-phone.jpg'))));
    const result = await run('upscale', image);
    const { data, info } = await rawOf(result.bytes);
    expect([info.width, info.height]).toEqual([80, 160]);
    expect((await sharp(result.bytes).metadata()).orientation).toBeUndefined();
    const top = (10 * 80 + 40) * info.channels;
    const bottom = (150 * 80 + 40) * info.channels;
    expect(data[top]! > 180 && data[top + 2]! < 70).toBe(true);
    expect(data[bottom + 2]! > 180 && data[bottom]! < 70).toBe(true);
  });
});

describe('bit depth: 16-bit stays 16-bit where the format allows', () => {
  const rampBytes = new Uint8Array(readFileSync(join(cases, 'png16-subtle-ramp.png')));
  const levels = (samples: Uint16Array, channels: number) => new Set(Array.from({ length: samples.length / channels }, (_, pixel) => samples[pixel * channels]!)).size;
  const asUint16 = (data: Buffer) => new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));

  for (const feature of colourFeatures) {
    it(`${feature} keeps 16 bits (no banding) on the 1,024-level ramp`, async () => {
      const image = await inspectImage(rampBytes);
      const result = await run(feature, image);
      expect(result.mimeType).toBe('image/png');
      const meta = await sharp(result.bytes).metadata();
      expect(meta.depth).toBe('ushort');
      const { data, info } = await rawOf(result.bytes, 'ushort');
      // 8 bits would leave about 5 levels; 16 bits keep hundreds (enhance sharpens in 15-bit Lab: ~550).
      expect(levels(asUint16(data), info.channels)).toBeGreaterThan(feature === 'enhance' ? 400 : 900);
    });
  }

  it('expand keeps the 16-bit original pixels bit-exact', async () => {
    const image = await inspectImage(rampBytes);
    const result = await run('expand', image);
    const original = asUint16((await rawOf(rampBytes, 'ushort')).data);
    const { data, info } = await rawOf(result.bytes, 'ushort');
    const expanded = asUint16(data);
    for (let y = 0; y < 8; y += 1) {
      const row = expanded.subarray((y * info.width + 3) * 3, (y * info.width + 3 + 1024) * 3);
      expect(Buffer.from(row.buffer.slice(row.byteOffset, row.byteOffset + row.byteLength)).equals(Buffer.from(original.subarray(y * 1024 * 3, (y + 1) * 1024 * 3).slice().buffer))).toBe(true);
    }
  });

  it('16-bit to JPEG or WebP (8-bit formats) gives a correct 8-bit image', async () => {
    const image = await inspectImage(rampBytes);
    for (const format of ['jpeg', 'webp'] as const) {
      const result = await run('upscale', image, { format });
      const { data } = await rawOf(result.bytes);
      // 20000/65535 × 255 ≈ 78: the ramp sits around 78–82 in 8 bits, not 0 or 255.
      expect(data[0]).toBeGreaterThan(70);
      expect(data[0]).toBeLessThan(90);
    }
  });
});

describe('colour types and alpha: grey, grey+alpha, palette+tRNS, RGBA, 16-bit RGBA', () => {
  /** A 16×16 image: an opaque orange disc-ish square in the middle, fully transparent corners with hidden black. */
  async function variants(): Promise<Record<string, { bytes: Uint8Array; alpha: boolean }>> {
    const size = 16;
    const rgba = Buffer.alloc(size * size * 4);
    const grey = Buffer.alloc(size * size * 2);
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        const inside = x >= 4 && x < 12 && y >= 4 && y < 12;
        rgba.set(inside ? [230, 120, 20, 255] : [0, 0, 0, 0], (y * size + x) * 4);
        grey.set(inside ? [200, 255] : [0, 0], (y * size + x) * 2);
      }
    }
    const rgba16 = new Uint16Array(size * size * 4).map((_, index) => rgba[index]! * 257);
    const raw4 = { raw: { width: size, height: size, channels: 4 as const } };
    return {
      rgb: { bytes: new Uint8Array(await sharp(rgba, raw4).removeAlpha().png().toBuffer()), alpha: false },
      grey: { bytes: new Uint8Array(await sharp(grey, { raw: { width: size, height: size, channels: 2 } }).extractChannel(0).toColourspace('b-w').png().toBuffer()), alpha: false },
      'grey+alpha': { bytes: new Uint8Array(await sharp(grey, { raw: { width: size, height: size, channels: 2 } }).toColourspace('b-w').png().toBuffer()), alpha: true },
      'palette+tRNS': { bytes: new Uint8Array(await sharp(rgba, raw4).png({ palette: true, colours: 4 }).toBuffer()), alpha: true },
      rgba: { bytes: new Uint8Array(await sharp(rgba, raw4).png().toBuffer()), alpha: true },
      'rgba-16': { bytes: new Uint8Array(await sharp(rgba16, raw4).toColourspace('rgb16').png().toBuffer()), alpha: true },
    };
  }

  it('the variants are what they say', async () => {
    const built = await variants();
    expect((await sharp(built['palette+tRNS']!.bytes).metadata()).isPalette).toBe(true);
    expect((await sharp(built['grey+alpha']!.bytes).metadata()).channels).toBe(2);
    expect((await sharp(built['rgba-16']!.bytes).metadata()).depth).toBe('ushort');
  });

  for (const feature of colourFeatures) {
    it(`${feature} keeps transparency and colour on every colour type`, async () => {
      for (const [name, variant] of Object.entries(await variants())) {
        const image = await inspectImage(variant.bytes);
        const result = await run(feature, image);
        const { data, info } = await rawOf(result.bytes);
        const region = inputRegion(feature, info);
        const at = (x: number, y: number) => Array.from(data.subarray(((y + region.top) * info.width + x * (feature === 'upscale' ? 2 : 1) + region.left) * info.channels, ((y + region.top) * info.width + x * (feature === 'upscale' ? 2 : 1) + region.left + 1) * info.channels));
        const y = (value: number) => value * (feature === 'upscale' ? 2 : 1);
        expect(info.channels, `${feature} ${name}`).toBe(variant.alpha ? 4 : 3);
        if (variant.alpha) {
          expect(at(0, y(0))[3], `${feature} ${name}: a transparent corner stays transparent`).toBe(0);
          expect(at(7, y(7))[3], `${feature} ${name}: the opaque middle stays opaque`).toBe(255);
        }
        if (feature !== 'inpaint' && !name.startsWith('grey')) {
          // The subject keeps an orange hue (style is sepia: still warm, red > blue).
          const [red, , blue] = at(7, y(6));
          expect(red! - blue!, `${feature} ${name}: colour of the subject ${at(7, y(6))}`).toBeGreaterThan(45);
        }
      }
    });
  }

  it('every style preset keeps the alpha of a transparent cut-out (palette subject does not vanish)', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(cases, 'cutout-already-transparent.png'))));
    const palette = await inspectImage(new Uint8Array(await sharp(image.bytes).png({ palette: true, colours: 8 }).toBuffer()));
    for (const style of ['noir', 'sepia', 'vintage-film', 'cool-cinematic', 'warm-golden-hour', 'pencil-sketch']) {
      for (const input of [image, palette]) {
        const result = (await local.handlers['style-transfer']!({ image: input, style }, context)).images[0]!;
        const { data, info } = await rawOf(result.bytes);
        expect(info.channels, style).toBe(4);
        expect(data[3], `${style}: corner alpha`).toBe(0);
        expect(data[(48 * 96 + 48) * 4 + 3], `${style}: centre alpha`).toBe(255);
      }
    }
  });

  it('remove-background (real IS-Net) on an already-transparent cut-out makes nothing visible that was transparent', { timeout: 120_000 }, async () => {
    const bytes = new Uint8Array(readFileSync(join(cases, 'cutout-already-transparent.png')));
    const input = await rawOf(bytes);
    const isNet = createLocalProvider();
    const result = (await isNet.handlers['remove-background']!({ image: await inspectImage(bytes) }, context)).images[0]!;
    await isNet.close?.();
    const { data } = await rawOf(result.bytes);
    for (let pixel = 0; pixel < 96 * 96; pixel += 1) {
      if (input.data[pixel * 4 + 3] === 0) expect(data[pixel * 4 + 3]).toBe(0);
    }
    expect(data[(48 * 96 + 48) * 4 + 3]).toBeGreaterThan(200);
  });

  it('a transparent image to JPEG is flattened on white, or on the background colour asked for', { timeout: 60_000 }, async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(cases, 'cutout-already-transparent.png'))));
    for (const feature of [...colourFeatures, 'remove-background'] as Feature[]) {
      for (const [background, expected] of [[undefined, [255, 255, 255]], ['#ff0000', [255, 0, 0]], ['#00f', [0, 0, 255]]] as const) {
        const result = await run(feature, image, { format: 'jpeg', ...(background ? { background } : {}) });
        expect(result.mimeType).toBe('image/jpeg');
        const { data } = await rawOf(result.bytes);
        const corner = Array.from(data.subarray(0, 3));
        corner.forEach((value, channel) => expect(Math.abs(value - expected[channel]!), `${feature} ${background}: ${corner}`).toBeLessThan(12));
      }
    }
  });
});

describe('tiny images: 1×1 and 2×2 through every feature', () => {
  for (const size of [1, 2]) {
    for (const feature of [...colourFeatures, 'remove-background'] as Feature[]) {
      it(`${feature} on ${size}×${size}`, { timeout: 30_000 }, async () => {
        const image = await inspectImage(
          size === 1
            ? new Uint8Array(readFileSync(join(cases, 'one-pixel.png')))
            : new Uint8Array(await sharp(Buffer.from([200, 30, 30, 30, 200, 30, 30, 30, 200, 200, 200, 30]), { raw: { width: 2, height: 2, channels: 3 } }).png().toBuffer()),
        );
        if (feature === 'inpaint') {
          // One pixel masked: filled from its neighbours on 2×2; on 1×1 the mask covers everything (a clear 400).
          const mask = await inspectImage(new Uint8Array(await sharp(Buffer.from(size === 1 ? [255] : [255, 0, 0, 0]), { raw: { width: size, height: size, channels: 1 } }).png().toBuffer()));
          if (size === 1) {
            await expect(run(feature, image, {}, mask)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/covers the whole image/) });
            return;
          }
          const result = await run(feature, image, {}, mask);
          expect([result.width, result.height]).toEqual([2, 2]);
          return;
        }
        const result = await run(feature, image);
        expect([result.width, result.height]).toEqual(expectedSize(feature, size, size));
        expect((await sharp(result.bytes).metadata()).width).toBe(result.width);
      });
    }
  }
});

describe('output format', () => {
  it('expand answers JPEG for a JPEG input, like every feature', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(cases, 'grayscale-disc.jpg'))));
    for (const feature of colourFeatures) expect((await run(feature, image)).mimeType, feature).toBe('image/jpeg');
  });
});

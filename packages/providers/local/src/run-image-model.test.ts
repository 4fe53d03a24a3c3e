import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, inspectImage } from '@darkroom/core';
import reimagine from '@darkroom/plugin-reimagine';
import { createOnnxSessions } from './create-onnx-sessions.js';
import { createLocalProvider } from './create-local-provider.js';
import { runImageModel } from './run-image-model.js';
import { fixtures } from './testing-fixtures.js';
import { doubleModel, invertModel } from './testing-onnx-models.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-onnx-'));
const invertPath = join(directory, 'invert.onnx');
const doublePath = join(directory, 'double.onnx');
writeFileSync(invertPath, invertModel());
writeFileSync(doublePath, doubleModel());
const sessions = createOnnxSessions({ threads: 1 });
const signal = new AbortController().signal;
afterAll(async () => {
  await sessions.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the generic ONNX image-to-image path', () => {
  it('runs a model tile by tile without seams (tiles smaller than the image, with overlap)', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'coffee.png'))));
    const inverted = await runImageModel(image, { path: invertPath, tile: 128, overlap: 16 }, { sessions, maxPixels: 1e8, signal });
    const original = await sharp(image.bytes).removeAlpha().raw().toBuffer();
    expect([inverted.width, inverted.height]).toEqual([600, 400]);
    let worst = 0;
    for (let index = 0; index < original.length; index += 1) worst = Math.max(worst, Math.abs(inverted.pixels[index]! - (255 - original[index]!)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('handles a scaling model and images smaller than a tile', async () => {
    const small = await inspectImage(new Uint8Array(await sharp(join(fixtures, 'chelsea.png')).resize(50, 30).png().toBuffer()));
    const doubled = await runImageModel(small, { path: doublePath, scale: 2, tile: 64, overlap: 8 }, { sessions, maxPixels: 1e8, signal });
    expect([doubled.width, doubled.height]).toEqual([100, 60]);
    const nearest = await sharp(small.bytes).removeAlpha().resize(100, 60, { kernel: 'nearest' }).raw().toBuffer();
    expect(Buffer.from(doubled.pixels).equals(nearest)).toBe(true);
  });

  it('says what is wrong with a model whose output does not fit its configuration', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'horse.png'))));
    await expect(runImageModel(image, { path: doublePath, scale: 1, tile: 64 }, { sessions, maxPixels: 1e8, signal })).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/should answer 1×3×64×64/) });
    await expect(runImageModel(image, { path: join(directory, 'missing.onnx') }, { sessions, maxPixels: 1e8, signal })).rejects.toMatchObject({ code: 'configuration' });
  });

  it('rejects with the abort reason during a tiled run, and the model serves the next run', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'coffee.png'))));
    const model = await sessions.get(invertPath);
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const running = runImageModel(image, { path: invertPath, tile: 16, overlap: 4 }, { sessions, maxPixels: 1e8, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(running).rejects.toBe(reason);
    await model.idle(); // the worker stops at its next tile
    const small = await inspectImage(new Uint8Array(await sharp(image.bytes).resize(40, 30).png().toBuffer()));
    const inverted = await runImageModel(small, { path: invertPath, tile: 64 }, { sessions, maxPixels: 1e8, signal });
    const original = await sharp(small.bytes).removeAlpha().raw().toBuffer();
    expect(Math.abs(inverted.pixels[0]! - (255 - original[0]!))).toBeLessThanOrEqual(1);
  });

  it('serves super-resolution, neural styles and reimagine from configured models', async () => {
    const local = createLocalProvider({
      models: { superResolution: { path: doublePath, scale: 2, tile: 128 }, styles: { negative: { path: invertPath, tile: 128 } }, imageToImage: { path: invertPath, tile: 128 } },
    });
    const engine = await createEngine({ plugins: [reimagine], providers: [local] });
    try {
      const image = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'chelsea.png'))));
      const upscaled = await local.handlers.upscale!({ image, scale: 2 }, { signal, model: 'onnx-super-resolution' });
      expect(upscaled.metadata).toMatchObject({ method: 'onnx' });
      expect(upscaled.images[0]).toMatchObject({ width: 902, height: 600 });
      const lanczos = await local.handlers.upscale!({ image, scale: 4 }, { signal, model: 'onnx-super-resolution' });
      expect(lanczos.metadata).toMatchObject({ kernel: 'lanczos3' });
      const styled = await local.handlers['style-transfer']!({ image, style: 'negative', strength: 1 }, { signal, model: 'style-presets' });
      const [first] = await sharp(styled.images[0]!.bytes).raw().toBuffer();
      const [original] = await sharp(image.bytes).raw().toBuffer();
      expect(first).toBeCloseTo(255 - original!, -0.5);
      const { images } = await engine.run('reimagine', { image: { base64: Buffer.from(image.bytes).toString('base64') }, prompt: 'anything', strength: 0.5 });
      expect(images[0]).toMatchObject({ width: 451, height: 300 });
      expect((await engine.gallery.get('local', images[0]!.galleryId)).metadata).toMatchObject({ warning: expect.stringMatching(/takes no prompt/) });
      expect((await engine.health()).providers[0]!.capabilities).toContain('image-to-image');
    } finally {
      await engine.close();
    }
  });
});

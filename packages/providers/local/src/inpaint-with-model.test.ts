import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImage } from '@darkroom/core';
import { createLocalProvider } from './create-local-provider.js';
import { fixtures } from './testing-fixtures.js';
import { greyFillModel } from './testing-onnx-models.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-inpainting-'));
const modelPath = join(directory, 'grey-fill.onnx');
writeFileSync(modelPath, greyFillModel());
const local = createLocalProvider({ models: { inpainting: { path: modelPath, size: 64 } }, onnxThreads: 1 });
const signal = new AbortController().signal;
afterAll(async () => {
  await local.close?.();
  rmSync(directory, { recursive: true, force: true });
});

describe('a configured learned inpainting model', () => {
  it('fills object removals through the model (resized to its size and back), leaving other pixels as they were', async () => {
    const image = await inspectImage(new Uint8Array(readFileSync(join(fixtures, 'coffee.png'))));
    const hole = await sharp({ create: { width: 60, height: 50, channels: 3, background: 'white' } }).png().toBuffer();
    const mask = await inspectImage(new Uint8Array(await sharp({ create: { width: 600, height: 400, channels: 3, background: 'black' } }).composite([{ input: hole, left: 430, top: 40 }]).png().toBuffer()));
    const result = await local.handlers.inpaint!({ image, mask }, { signal, model: 'diffusion-inpaint' });
    expect(result.metadata).toMatchObject({ method: 'onnx inpainting', size: 64 });
    const filled = await sharp(result.images[0]!.bytes).removeAlpha().raw().toBuffer();
    const original = await sharp(image.bytes).removeAlpha().raw().toBuffer();
    const at = (pixels: Buffer, x: number, y: number) => Array.from(pixels.subarray((y * 600 + x) * 3, (y * 600 + x) * 3 + 3));
    for (const [x, y] of [[460, 65], [440, 50], [480, 80]] as const) for (const value of at(filled, x, y)) expect(Math.abs(value - 128)).toBeLessThanOrEqual(3);
    for (const [x, y] of [[10, 10], [300, 200], [420, 30], [500, 95]] as const) expect(at(filled, x, y)).toEqual(at(original, x, y));
    const classic = await local.handlers.inpaint!({ image, mask, method: 'patch' }, { signal, model: 'diffusion-inpaint' });
    expect(classic.metadata).toMatchObject({ method: 'patchmatch completion' });
  });

  it('fills an expand\'s new borders through the model, the original pixels bit-exact', async () => {
    const image = await inspectImage(new Uint8Array(await sharp(join(fixtures, 'chelsea.png')).resize(120, 80).png().toBuffer()));
    const result = await local.handlers.outpaint!({ image, left: 20, right: 20, top: 0, bottom: 0 }, { signal, model: 'edge-continuation' });
    expect(result.metadata).toMatchObject({ method: 'onnx inpainting' });
    const expanded = await sharp(result.images[0]!.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([expanded.info.width, expanded.info.height]).toEqual([160, 80]);
    const original = await sharp(image.bytes).removeAlpha().raw().toBuffer();
    for (let y = 0; y < 80; y += 1) expect(expanded.data.subarray((y * 160 + 20) * 3, (y * 160 + 140) * 3).equals(original.subarray(y * 120 * 3, (y + 1) * 120 * 3))).toBe(true);
    for (const value of expanded.data.subarray((40 * 160 + 5) * 3, (40 * 160 + 5) * 3 + 3)) expect(Math.abs(value - 128)).toBeLessThanOrEqual(3);
  });
});

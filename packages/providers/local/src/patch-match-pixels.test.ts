import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inpaintPixels } from './inpaint-pixels.js';
import { patchMatchPixels } from './patch-match-pixels.js';
import { fixtures } from './testing-fixtures.js';
import { textureRatio } from './texture-ratio.js';

/** A 160×160 RGB crop of a fixture and a 40×40 square hole in its middle. */
async function holeIn(name: string, left: number, top: number) {
  const { data } = await sharp(join(fixtures, name)).extract({ left, top, width: 160, height: 160 }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(160 * 160);
  for (let y = 60; y < 100; y += 1) mask.fill(255, y * 160 + 60, y * 160 + 100);
  return { pixels: new Uint8Array(data), mask };
}

describe('patchMatchPixels', () => {
  it('fills textured holes with texture (≥ 0.5 × the truth), where diffusion leaves a smear', async () => {
    for (const [name, left, top] of [['grass.png', 176, 176], ['chelsea.png', 40, 40]] as const) {
      const { pixels, mask } = await holeIn(name, left, top);
      const truth = textureRatio(pixels, mask, 160, 160, 3);
      const filled = patchMatchPixels(pixels, mask, 160, 160, 3, 7);
      expect(textureRatio(filled, mask, 160, 160, 3), name).toBeGreaterThanOrEqual(0.5 * truth);
      expect(textureRatio(inpaintPixels(pixels, mask, 160, 160, 3), mask, 160, 160, 3), name).toBeLessThan(0.1 * truth);
    }
  });

  it('is deterministic for a seed, keeps unmasked pixels and 16-bit depth', async () => {
    const { pixels, mask } = await holeIn('coffee.png', 400, 200);
    const deep = Uint16Array.from(pixels, (value) => value * 257);
    const first = patchMatchPixels(deep, mask, 160, 160, 3, 3);
    expect(first).toBeInstanceOf(Uint16Array);
    expect(patchMatchPixels(deep, mask, 160, 160, 3, 3)).toEqual(first);
    for (let index = 0; index < 160 * 160; index += 1) if (!mask[index]) expect(first[index * 3]).toBe(deep[index * 3]);
    expect(patchMatchPixels(deep, mask, 160, 160, 3, 4)).not.toEqual(first);
  });

  it('keeps texture where a large fill (an expand past the search budget) copies from the upscaled field', async () => {
    const { data } = await sharp(join(fixtures, 'grass.png')).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixels = new Uint8Array(data);
    const mask = new Uint8Array(512 * 512);
    for (let y = 0; y < 512; y += 1) {
      mask.fill(255, y * 512, y * 512 + 150);
      mask.fill(255, y * 512 + 362, y * 512 + 512);
    }
    const filled = patchMatchPixels(pixels, mask, 512, 512, 3, 1);
    expect(textureRatio(filled, mask, 512, 512, 3)).toBeGreaterThanOrEqual(0.5 * textureRatio(pixels, mask, 512, 512, 3));
    let changed = 0;
    for (let index = 0; index < 512 * 512 * 3; index += 1) if (!mask[Math.floor(index / 3)] && filled[index] !== pixels[index]) changed += 1;
    expect(changed).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { generateFeature, sizeFor } from './generate-feature.js';

describe('generate feature', () => {
  it('derives sizes from aspect ratios, long side 1024, multiples of 8', () => {
    expect(sizeFor({})).toEqual({ width: 1024, height: 1024 });
    expect(sizeFor({ aspect_ratio: '16:9' })).toEqual({ width: 1024, height: 576 });
    expect(sizeFor({ aspect_ratio: '2:3' })).toEqual({ width: 680, height: 1024 });
    expect(sizeFor({ width: 512, aspect_ratio: '4:3' })).toEqual({ width: 512, height: 384 });
    expect(sizeFor({ width: 300, height: 200 })).toEqual({ width: 300, height: 200 });
  });

  it('reads aspect ratio, size and seed from words', () => {
    const extract = generateFeature.intents.extract!;
    expect(extract('a red car in 16:9 with seed 5')).toEqual({ aspect_ratio: '16:9', seed: 5 });
    expect(extract('a square logo')).toEqual({ aspect_ratio: '1:1' });
    expect(extract('a banner 1200x400')).toEqual({ width: 1200, height: 400 });
  });

  it('limits its input', () => {
    expect(generateFeature.input.safeParse({ prompt: 'x', width: 4096 }).success).toBe(false);
    expect(generateFeature.input.safeParse({ prompt: 'x', num_images: 9 }).success).toBe(false);
    expect(generateFeature.input.safeParse({ prompt: 'x', aspect_ratio: '5:7' }).success).toBe(false);
    expect(generateFeature.input.parse({ prompt: ' a fox ' })).toMatchObject({ prompt: 'a fox', num_images: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { planDiffusionSize } from './plan-diffusion-size.js';
import { maskBounds, planInpaintRegion } from './plan-inpaint-region.js';

const sd15 = { defaultSize: 512, alignment: 64 };

describe('planDiffusionSize', () => {
  it('rounds sizes near the native area up to the alignment (cut afterwards), and scales far ones to it (resized afterwards)', () => {
    expect(planDiffusionSize(768, 512, sd15)).toEqual({ width: 768, height: 512, fit: 'crop' });
    expect(planDiffusionSize(680, 400, sd15)).toEqual({ width: 704, height: 448, fit: 'crop' });
    expect(planDiffusionSize(1024, 1024, sd15)).toEqual({ width: 512, height: 512, fit: 'resize' });
    expect(planDiffusionSize(1024, 576, sd15)).toEqual({ width: 704, height: 384, fit: 'resize' });
    expect(planDiffusionSize(128, 128, sd15)).toEqual({ width: 512, height: 512, fit: 'resize' });
    expect(planDiffusionSize(1024, 1024, { defaultSize: 1024, alignment: 64 })).toEqual({ width: 1024, height: 1024, fit: 'crop' });
  });
});

describe('planInpaintRegion', () => {
  it('works on a large photo around the object only, at the native resolution', () => {
    expect(planInpaintRegion({ left: 1900, top: 1400, width: 100, height: 80 }, 4000, 3000, sd15)).toEqual({ left: 1694, top: 1184, width: 512, height: 512, workWidth: 512, workHeight: 512 });
  });
  it('keeps the region inside the image, and scales a large region down and a small image up', () => {
    expect(planInpaintRegion({ left: 0, top: 0, width: 50, height: 50 }, 4000, 3000, sd15)).toMatchObject({ left: 0, top: 0, width: 512, height: 512 });
    expect(planInpaintRegion({ left: 500, top: 500, width: 1500, height: 1000 }, 4000, 3000, sd15)).toEqual({ left: 0, top: 0, width: 3000, height: 2500, workWidth: 576, workHeight: 448 });
    expect(planInpaintRegion({ left: 10, top: 10, width: 20, height: 20 }, 100, 80, sd15)).toEqual({ left: 0, top: 0, width: 100, height: 80, workWidth: 384, workHeight: 320 });
  });
  it('finds the bounds of a mask', () => {
    const mask = new Uint8Array(6 * 4);
    expect(maskBounds(mask, 6, 4)).toBeUndefined();
    mask[1 * 6 + 2] = 255;
    mask[2 * 6 + 4] = 1;
    expect(maskBounds(mask, 6, 4)).toEqual({ left: 2, top: 1, width: 3, height: 2 });
  });
});

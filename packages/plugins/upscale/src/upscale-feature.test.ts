import { describe, expect, it } from 'vitest';
import { upscaleFeature } from './upscale-feature.js';

describe('upscale feature', () => {
  it('reads the factor from English and Vietnamese words', () => {
    const extract = upscaleFeature.intents.extract!;
    expect(extract('upscale it 2x')).toEqual({ scale: 2 });
    expect(extract('make this x4')).toEqual({ scale: 4 });
    expect(extract('phóng to 4 lần')).toEqual({ scale: 4 });
    expect(extract('phóng to ảnh này gấp đôi')).toEqual({ scale: 2 });
    expect(extract('enlarge it')).toEqual({});
  });

  it('accepts only 2 or 4', () => {
    const result = upscaleFeature.input.safeParse({ image: { asset_id: 'a' }, scale: 3 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('scale must be 2 or 4');
    expect(upscaleFeature.input.parse({ image: { asset_id: 'a' } })).toMatchObject({ scale: 2, sharpen: false });
  });
});

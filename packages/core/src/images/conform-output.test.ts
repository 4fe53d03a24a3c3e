import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { conformOutput } from './conform-output.js';
import { assertOutputSize, expectedOutputSize } from './expected-output-size.js';
import { inspectImage } from './inspect-image.js';

/** A 16×16 PNG, transparent everywhere but one opaque red pixel in the middle (hidden RGB black). */
async function transparentPng() {
  const pixels = Buffer.alloc(16 * 16 * 4);
  pixels.set([255, 0, 0, 255], (8 * 16 + 8) * 4);
  return inspectImage(new Uint8Array(await sharp(pixels, { raw: { width: 16, height: 16, channels: 4 } }).png().toBuffer()));
}

describe('conformOutput: a provider image in another format than asked', () => {
  it('converts to JPEG flattened on white by default, on the background colour asked otherwise', async () => {
    const image = await transparentPng();
    for (const [background, expected] of [[undefined, 255], ['#000000', 0], ['#808080', 128]] as const) {
      const result = await conformOutput({ images: [image] }, { format: 'jpeg', ...(background ? { background } : {}) });
      expect(result.images[0]).toMatchObject({ mimeType: 'image/jpeg', width: 16, height: 16 });
      expect(result.metadata).toMatchObject({ converted_to: 'jpeg' });
      const corner = await sharp(result.images[0]!.bytes).raw().toBuffer();
      expect(Math.abs(corner[0]! - expected)).toBeLessThan(8);
    }
  });

  it('leaves images already in the asked format, or with no format asked, untouched', async () => {
    const image = await transparentPng();
    const asked = { images: [image] };
    expect(await conformOutput(asked, { format: 'png' })).toBe(asked);
    expect(await conformOutput(asked, {})).toBe(asked);
  });

  it('refuses undecodable provider bytes as a provider error', async () => {
    const image = await transparentPng();
    await expect(conformOutput({ images: [{ ...image, bytes: image.bytes.subarray(0, 30) }] }, { format: 'webp' })).rejects.toMatchObject({ code: 'provider_error' });
  });
});

describe('output size limit', () => {
  const image = { bytes: new Uint8Array(), mimeType: 'image/png' as const, width: 10_000, height: 20 };
  it('knows each capability\'s result size before any work', () => {
    expect(expectedOutputSize('upscale', { image, scale: 4 })).toEqual({ width: 40_000, height: 80 });
    expect(expectedOutputSize('outpaint', { image, left: 0, right: 0, top: 2802, bottom: 2803 })).toEqual({ width: 10_000, height: 5625 });
    expect(expectedOutputSize('text-to-image', { prompt: 'x', width: 1024, height: 768 })).toEqual({ width: 1024, height: 768 });
    expect(expectedOutputSize('relight', { image, direction: 'left', intensity: 1 })).toEqual({ width: 10_000, height: 20 });
    expect(expectedOutputSize('caption', { image })).toEqual({ width: 10_000, height: 20 });
    expect(expectedOutputSize('refine-prompt', { prompt: 'x' })).toBeUndefined();
  });

  it('refuses a result over the limit with a 413 that names it', () => {
    expect(() => assertOutputSize('outpaint', { image, left: 0, right: 0, top: 2802, bottom: 2803 }, 50_000_000)).toThrow(
      expect.objectContaining({ code: 'output_too_large', status: 413, message: expect.stringMatching(/56,250,000 pixels; the output limit is 50,000,000/) }),
    );
    expect(() => assertOutputSize('upscale', { image, scale: 2 }, 50_000_000)).not.toThrow();
  });
});

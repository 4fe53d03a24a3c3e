import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawPlaceholder, placeholderNotice } from './draw-placeholder.js';

const band = [0xfd, 0xe0, 0x47];
const ink = [0x11, 0x11, 0x11];

/** The rows of the image's middle column, each as `band`, `ink` or `scene`. */
async function middleColumn(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const x = Math.floor(info.width / 2);
  return Array.from({ length: info.height }, (_, y) => {
    const pixel = [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    return pixel.join() === band.join() ? 'band' : pixel.join() === ink.join() ? 'ink' : 'scene';
  });
}

/** Every pixel of the image's band rows (those whose first pixel is the band's yellow) is band or ink: whole-pixel text, no anti-aliased font. */
async function bandColours(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colours = new Map<string, number>();
  for (let y = 0; y < info.height; y += 1) {
    if (data.subarray(y * info.width * 3, y * info.width * 3 + 3).join() !== band.join()) continue;
    for (let x = 0; x < info.width; x += 1) {
      const key = data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3).join();
      colours.set(key, (colours.get(key) ?? 0) + 1);
    }
  }
  return colours;
}

describe('drawPlaceholder', () => {
  it('stamps a band across the middle, its text whole pixels of a pixel font, from 64 px to 2048 px wide', async () => {
    for (const [width, height] of [[64, 64], [96, 128], [640, 360], [2048, 96]] as const) {
      const { images } = await drawPlaceholder({ prompt: 'a rose gold ring', width, height, seed: 1 });
      const column = await middleColumn(images[0]!.bytes);
      // The band covers the middle row, with the scene above and below it.
      expect(column[Math.floor(height / 2)], `${width}×${height}`).not.toBe('scene');
      expect(column[0]).toBe('scene');
      expect(column.at(-1)).toBe('scene');
      const colours = await bandColours(images[0]!.bytes);
      expect([...colours.keys()].sort(), `${width}×${height}`).toEqual([band.join(), ink.join()].sort());
      expect(colours.get(ink.join())! / colours.get(band.join())!).toBeGreaterThan(0.02);
    }
  });

  it('gives the same bytes for the same prompt and seed, other bytes for another prompt, and says what it is in PNG text chunks and metadata', async () => {
    const request = { prompt: 'Nhẫn vàng hồng', width: 160, height: 120, seed: 9 };
    const [first, again, other] = await Promise.all([drawPlaceholder(request), drawPlaceholder(request), drawPlaceholder({ ...request, prompt: 'Nhẫn bạch kim' })]);
    expect(Buffer.from(first.images[0]!.bytes).equals(Buffer.from(again.images[0]!.bytes))).toBe(true);
    expect(Buffer.from(first.images[0]!.bytes).equals(Buffer.from(other.images[0]!.bytes))).toBe(false);
    expect((await sharp(first.images[0]!.bytes).metadata()).comments).toEqual([{ keyword: 'Comment', text: placeholderNotice }, { keyword: 'Description', text: placeholderNotice }]);
    expect(placeholderNotice).toMatch(/^DEVELOPMENT PLACEHOLDER - NOT AI\..*not an AI-generated image/);
    expect(first.metadata).toEqual({ placeholder: true, notice: placeholderNotice });
  });

  it('stamps JPEG and WebP too (they carry no PNG text)', async () => {
    for (const format of ['jpeg', 'webp'] as const) {
      const { images } = await drawPlaceholder({ prompt: 'a ring', width: 128, height: 128, seed: 1, format });
      expect(await sharp(images[0]!.bytes).metadata()).toMatchObject({ format, width: 128, height: 128 });
    }
  });
});

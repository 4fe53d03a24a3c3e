import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addPngText } from './add-png-text.js';

describe('addPngText', () => {
  it('adds tEXt chunks that PNG readers accept (a right CRC) and leaves the pixels as they were', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 8, height: 4, channels: 3, background: '#c2410c' } }).png().toBuffer());
    const labelled = addPngText(png, { Comment: 'Not AI', Description: 'A development placeholder' });
    expect((await sharp(labelled).metadata()).comments).toEqual([{ keyword: 'Comment', text: 'Not AI' }, { keyword: 'Description', text: 'A development placeholder' }]);
    expect((await sharp(labelled).raw().toBuffer()).equals(await sharp(png).raw().toBuffer())).toBe(true);
    expect(labelled.length).toBe(png.length + 12 + 'Comment\0Not AI'.length + 12 + 'Description\0A development placeholder'.length);
  });

  it('refuses what is not a PNG, and text beyond ASCII (which readers decode differently)', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer());
    expect(() => addPngText(new Uint8Array([0xff, 0xd8, 0xff]), { Comment: 'x' })).toThrow(/Not a PNG/);
    expect(() => addPngText(png, { Comment: 'Ảnh' })).toThrow(/ASCII/);
    expect(() => addPngText(png, { '': 'x' })).toThrow(/keyword/);
  });
});

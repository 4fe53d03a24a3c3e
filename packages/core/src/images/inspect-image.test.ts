import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeInlineImage } from './decode-inline-image.js';
import { inspectImage } from './inspect-image.js';
import { sniffImageType } from './sniff-image-type.js';

function pngHeader(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]));
}

const fixtures = join(import.meta.dirname, '../../../../../shared/fixtures/images');

describe('image input', () => {
  it('sniffs formats by magic bytes', async () => {
    const base = sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } });
    for (const [format, mime] of [['png', 'image/png'], ['jpeg', 'image/jpeg'], ['webp', 'image/webp'], ['gif', 'image/gif'], ['tiff', 'image/tiff'], ['avif', 'image/avif']] as const) {
      const bytes = new Uint8Array(await base.clone().toFormat(format).toBuffer());
      expect(sniffImageType(bytes)).toBe(mime);
      expect(await inspectImage(bytes)).toMatchObject({ mimeType: mime, width: 4, height: 4 });
    }
    expect(sniffImageType(new TextEncoder().encode('<svg></svg>'))).toBeUndefined();
  });

  it('decodes data URIs and base64, and refuses malformed ones', () => {
    expect(Buffer.from(decodeInlineImage('data:image/png;base64,aGVsbG8=')).toString()).toBe('hello');
    expect(Buffer.from(decodeInlineImage('aGVs\nbG8=')).toString()).toBe('hello');
    expect(() => decodeInlineImage('data:image/png,rawtext')).toThrow(/base64-encoded/);
    expect(() => decodeInlineImage('***')).toThrow(/not valid base64/);
    expect(() => decodeInlineImage('')).toThrow(/empty/);
  });

  it('refuses corrupt images and decompression bombs', async () => {
    const chelsea = new Uint8Array(readFileSync(join(fixtures, 'chelsea.png')));
    await expect(inspectImage(chelsea.subarray(0, 20))).rejects.toMatchObject({ code: 'invalid_image' });
    await expect(inspectImage(chelsea, { maxPixels: 1000, maxBytes: 10_000_000 })).rejects.toMatchObject({ code: 'image_too_large', status: 413 });
    await expect(inspectImage(chelsea, { maxPixels: 1e9, maxBytes: 1000 })).rejects.toMatchObject({ code: 'image_too_large' });
    // A PNG whose header claims 20000×20000 pixels (a decompression bomb) is refused from the header alone.
    await expect(inspectImage(pngHeader(20000, 20000))).rejects.toMatchObject({ code: 'image_too_large' });
  });
});

describe('truncated images', () => {
  it('refuses PNG, JPEG, WebP and GIF files cut short, before any decoding', async () => {
    const base = sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } });
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) {
      const whole = new Uint8Array(await base.clone().toFormat(format).toBuffer());
      await expect(inspectImage(whole)).resolves.toMatchObject({ width: 64, height: 48 });
      await expect(inspectImage(whole.subarray(0, Math.floor(whole.length * 0.7)))).rejects.toMatchObject({ code: 'invalid_image', message: expect.stringMatching(/truncated/) });
    }
  });
});

describe('EXIF orientation is applied once, at ingest', () => {
  it('turns every orientation 2–8 upright, drops the tag, keeps the format (and 16 bits in PNG)', async () => {
    // Stored 6×2: left half white, right half black. Orientations 5–8 swap width and height.
    const pixels = Buffer.alloc(6 * 2 * 3);
    for (let y = 0; y < 2; y += 1) pixels.fill(255, y * 18, y * 18 + 9);
    for (const orientation of [2, 3, 4, 5, 6, 7, 8]) {
      for (const format of ['jpeg', 'png', 'webp'] as const) {
        const stored = new Uint8Array(await sharp(pixels, { raw: { width: 6, height: 2, channels: 3 } }).withMetadata({ orientation }).toFormat(format).toBuffer());
        const image = await inspectImage(stored);
        const shown = await sharp(stored, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
        expect([image.width, image.height]).toEqual([shown.info.width, shown.info.height]);
        expect((await sharp(image.bytes).metadata()).orientation ?? 1).toBe(1);
        expect(image.mimeType).toBe(`image/${format}`);
        const upright = await sharp(image.bytes).raw().toBuffer();
        for (let index = 0; index < upright.length; index += 3) expect(Math.abs(upright[index]! - shown.data[index]!), `${format} ${orientation}`).toBeLessThan(40);
      }
    }
    const deep = new Uint8Array(await sharp(new Uint16Array(6 * 2 * 3).fill(20001), { raw: { width: 6, height: 2, channels: 3 } }).toColourspace('rgb16').withMetadata({ orientation: 6 }).png().toBuffer());
    const image = await inspectImage(deep);
    expect([image.width, image.height]).toEqual([2, 6]);
    expect((await sharp(image.bytes).metadata()).depth).toBe('ushort');
  });
});

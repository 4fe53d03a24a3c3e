import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeInlineImage } from './decode-inline-image.js';
import { inspectImage } from './inspect-image.js';
import { sniffImageType } from './sniff-image-type.js';

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
    // A 20000×20000 PNG header (a bomb) is refused from its header alone.
    const bomb = new Uint8Array(await sharp({ create: { width: 20000, height: 20000, channels: 1, background: 0 } }).png({ compressionLevel: 9 }).toBuffer());
    await expect(inspectImage(bomb)).rejects.toMatchObject({ code: 'image_too_large' });
  });
});

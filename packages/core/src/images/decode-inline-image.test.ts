import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeInlineImage } from './decode-inline-image.js';

describe('decodeInlineImage', () => {
  it('decodes canonical base64 with or without padding, URL-safe base64 and base64 with line breaks to the same bytes', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 100, 1001]) {
      const bytes = randomBytes(length + 1);
      const standard = bytes.toString('base64');
      for (const text of [standard, standard.replace(/=+$/, ''), bytes.toString('base64url'), standard.replace(/(.{76})/g, '$1\r\n'), `data:image/png;base64,${standard}`]) {
        expect(Buffer.from(decodeInlineImage(text)).equals(bytes), text.slice(0, 40)).toBe(true);
      }
    }
  });

  it('refuses what the pattern checks refuse, canonical-looking or not', () => {
    expect(() => decodeInlineImage('')).toThrow(/empty/);
    expect(() => decodeInlineImage('  \n')).toThrow(/empty/);
    expect(() => decodeInlineImage('aGVsbG8=!')).toThrow(/not valid base64/);
    expect(() => decodeInlineImage('aGVs bG8*')).toThrow(/not valid base64/);
    expect(() => decodeInlineImage('aGVsb')).toThrow(/bad length/);
    expect(() => decodeInlineImage('aGVsbG8===')).toThrow(/not valid base64/);
  });

  it('still takes non-canonical trailing bits as before (QR== is "A")', () => {
    expect(Buffer.from(decodeInlineImage('QR==')).toString()).toBe('A');
  });
});

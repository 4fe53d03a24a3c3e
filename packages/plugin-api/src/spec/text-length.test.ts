import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { cutText, textLength } from './text-length.js';

describe('textLength', () => {
  it('counts Unicode code points: a surrogate pair once, an unpaired surrogate and each combining code point as one', () => {
    expect(textLength('')).toBe(0);
    expect(textLength('rings')).toBe(5);
    expect(textLength('💍 rings')).toBe(7);
    expect(textLength('👍🏽')).toBe(2);
    expect(textLength('e\u0301')).toBe(2);
    expect(textLength('a\ud800b')).toBe(3);
    expect(textLength('\udc8d\ud83d')).toBe(2);
  });

  it("agrees with zod's string .max() and JSON Schema's maxLength at every limit", () => {
    const samples = ['💍'.repeat(150), `${'x'.repeat(199)}💍`, '👍🏽'.repeat(100), 'ring'.repeat(50), `${'💍'.repeat(200)}x`];
    for (const sample of samples) {
      for (const limit of [199, 200, 201, 300]) expect(textLength(sample) <= limit, `${sample.slice(0, 8)}… max ${limit}`).toBe(z.string().max(limit).safeParse(sample).success);
    }
    expect(z.toJSONSchema(z.string().max(200))).toMatchObject({ maxLength: 200 });
  });
});

describe('cutText', () => {
  it('keeps at most max characters and never cuts a pair in half', () => {
    expect(cutText('rings', 10)).toBe('rings');
    expect(cutText('💍💍💍', 2)).toBe('💍💍');
    expect(cutText('a💍b', 2)).toBe('a💍');
    for (let max = 0; max <= 8; max += 1) {
      const cut = cutText('x💍y👍🏽z', max);
      expect(textLength(cut)).toBe(Math.min(max, 6));
      expect(cut).toMatch(/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/);
    }
  });
});

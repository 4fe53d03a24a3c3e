import { describe, expect, it } from 'vitest';
import { jsonTextDepth, jsonValueDepth } from './json-depth.js';

/** The plain character-by-character count, as the reference. */
function referenceDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 92) index += 1;
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) deepest = Math.max(deepest, ++depth);
    else if (char === 125 || char === 93) depth -= 1;
  }
  return deepest;
}

describe('jsonTextDepth', () => {
  it('counts nesting and skips brackets, quotes and backslashes inside strings', () => {
    const cases: Array<[string, number]> = [
      ['1', 0], ['{}', 1], ['[[[]]]', 3], ['{"a":"}}}{{{","b":[[["\\\\"]]]}', 4], ['{"a":"\\"[[[["}', 1], ['["\\\\\\"[[["]', 1],
      ['{"x":"\\\\\\\\"}', 1], ['"unterminated [[[', 0], ['[[[', 3], [`{"image":{"base64":"${'A'.repeat(100_000)}"}}`, 2],
    ];
    for (const [text, depth] of cases) {
      expect(jsonTextDepth(text), text.slice(0, 40)).toBe(depth);
      expect(referenceDepth(text), text.slice(0, 40)).toBe(depth);
    }
  });

  it('agrees with the character-by-character count on random text of JSON\'s special characters', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['"', '\\', '[', ']', '{', '}', 'a', ',', ':'];
    for (let round = 0; round < 5_000; round += 1) {
      const text = Array.from({ length: Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(jsonTextDepth(text), text).toBe(referenceDepth(text));
    }
  });

  it('matches the depth of the parsed value', () => {
    const value = { a: [1, { b: [[{}]] }], s: '[[[[', t: 'x\\"[' };
    expect(jsonTextDepth(JSON.stringify(value))).toBe(jsonValueDepth(value));
  });
});

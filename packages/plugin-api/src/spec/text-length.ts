/** A high surrogate: only text holding one can count differently in code points than in `.length`. */
const highSurrogate = /[\uD800-\uDBFF]/;

const isPairAt = (text: string, index: number): boolean =>
  (text.charCodeAt(index) & 0xfc00) === 0xd800 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;

/**
 * How long text is, as every text limit of Darkroom counts it: in characters, meaning Unicode code
 * points, the unit JSON Schema's `maxLength` and zod's string `.max()` count. An emoji such as 💍 is
 * one character (two UTF-16 code units: its `.length` is 2); a character built of several code
 * points (👍🏽, e + combining accent) counts each of them.
 *
 * @example
 * textLength('💍 rings'); // 7 ('💍 rings'.length is 8)
 */
export function textLength(text: string): number {
  if (!highSurrogate.test(text)) return text.length;
  let count = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    if (isPairAt(text, index)) {
      count -= 1;
      index += 1;
    }
  }
  return count;
}

/**
 * The longest start of `text` that is at most `max` characters long (counted as {@link textLength}
 * counts them): a surrogate pair is never cut in half, so what is cut stays valid text.
 *
 * @example
 * cutText('💍💍💍', 2); // '💍💍'
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (let count = 0; count < max && end < text.length; count += 1) end += isPairAt(text, end) ? 2 : 1;
  return text.slice(0, end);
}

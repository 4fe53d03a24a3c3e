/** White space and characters that show nothing (zero-width space and joiners, word joiner, soft hyphen, BOM…). */
const blank = /^[\s\p{Default_Ignorable_Code_Point}]*$/u;

/**
 * Whether text shows nothing: empty, or only white space and invisible characters (Unicode's
 * White_Space and Default_Ignorable_Code_Point, such as U+200B ZERO WIDTH SPACE). The rule for text
 * that must say something: a session title or description, a chat message without an image.
 *
 * @example
 * isBlankText(' \u200b '); // true
 * isBlankText('💍'); // false
 */
export function isBlankText(text: string): boolean {
  return blank.test(text);
}

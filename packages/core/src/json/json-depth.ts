/** Deeper JSON than this (nested objects and arrays) is refused wherever a value arrives: bodies, form fields, metadata. */
export const maxJsonDepth = 32;

/**
 * Depth of nested arrays/objects in JSON text, counted in one pass without recursion and without
 * parsing (so too-deep text is refused before anything is allocated for it). Strings are skipped
 * with `indexOf` jumps to their closing quote, not character by character: a body carrying a
 * megabytes-long base64 string costs microseconds, not tens of milliseconds. Text that is not JSON
 * gets some number; the parser refuses it after.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 34) {
      // The closing quote is the next one preceded by an even number of backslashes.
      let end = text.indexOf('"', index + 1);
      while (end !== -1) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes += 1;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) return deepest;
      index = end;
    } else if (char === 123 || char === 91) deepest = Math.max(deepest, ++depth);
    else if (char === 125 || char === 93) depth -= 1;
  }
  return deepest;
}

/**
 * Depth of nested arrays/objects in a value, counted without recursion (so a hostile value cannot
 * overflow the stack), stopping as soon as `limit` is passed: a scalar is 0, `{}` and `[]` are 1.
 */
export function jsonValueDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return deepest;
}

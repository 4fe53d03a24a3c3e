/** Deeper JSON than this (nested objects and arrays) is refused wherever a value arrives: bodies, form fields, metadata. */
export const maxJsonDepth = 32;

/** Depth of nested arrays/objects in JSON text, counted in one pass without recursion (strings skipped). */
export function jsonTextDepth(text: string): number {
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

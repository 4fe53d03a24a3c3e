import { errors } from '@darkroom/plugin-api';

/** Any surrogate: a quick test that most text passes at once (one-byte strings have none). */
const surrogate = /[\uD800-\uDFFF]/;
/** With the `u` flag a surrogate pair is one code point, so only an unpaired surrogate matches. */
const unpaired = /\p{Surrogate}/u;

/** Where an unpaired surrogate is in `text`, or -1. */
const unpairedAt = (text: string): number => (surrogate.test(text) ? text.search(unpaired) : -1);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

const member = (path: string, key: string) => {
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path ? (name === key ? `${path}.${key}` : `${path}[${name}]`) : name;
};

/**
 * Refuses text that is not valid Unicode: a string holding an unpaired UTF-16 surrogate (a code unit
 * U+D800..U+DFFF without its partner, as JSON's `"\ud800"` escape makes). No store keeps one as sent
 * (UTF-8 cannot encode it: PostgreSQL and MongoDB would give back U+FFFD), so it is refused where text
 * comes in rather than changed silently. Walks plain objects (their property names too) and arrays;
 * bytes and other values are skipped. The value is JSON-like, so its depth is bounded by whoever
 * parsed it (`maxJsonDepth`).
 *
 * @param where the value's name in messages (`body`, `title`); with '' an object's fields are named by themselves.
 * @throws DarkroomError `invalid_input` (400) naming the field (`details.field`) and the position of the surrogate.
 * @example
 * checkWellFormedText(JSON.parse('{"title":"a\\ud800b"}'), 'body'); // throws: body.title holds an unpaired UTF-16 surrogate…
 */
export function checkWellFormedText(value: unknown, where: string): void {
  if (typeof value === 'string') {
    const at = unpairedAt(value);
    if (at < 0) return;
    const unit = `U+${value.charCodeAt(at).toString(16).toUpperCase()}`;
    throw errors.invalidInput(
      `${where} holds an unpaired UTF-16 surrogate (${unit} at index ${at}), which is not valid Unicode text and cannot be stored: remove it, or send the whole character (a high surrogate U+D800–U+DBFF directly followed by a low one U+DC00–U+DFFF, such as "\\ud83d\\udc8d" for 💍)`,
      { field: where },
    );
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkWellFormedText(item, `${where}[${index}]`));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (unpairedAt(key) >= 0) {
      throw errors.invalidInput(`A field name in ${where || 'the input'} (${JSON.stringify(key).slice(0, 100)}) holds an unpaired UTF-16 surrogate, which is not valid Unicode text: rename the field`, { field: where });
    }
    checkWellFormedText(item, member(where, key));
  }
}

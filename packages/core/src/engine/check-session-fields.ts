import { errors, isBlankText, maxSessionDescriptionLength, maxSessionTitleLength, textLength } from '@darkroom/plugin-api';
import { checkWellFormedText } from '../json/check-well-formed-text.js';
import type { SessionChanges } from '../store/conversation-store.js';

const limits = { title: maxSessionTitleLength, description: maxSessionDescriptionLength } as const;

/**
 * A session's `title` (at most 200 characters) and `description` (at most 2000) as a caller gave
 * them, checked: each is a string, trimmed of white space at both ends, or null (none, or clears it);
 * one left out stays left out. Text that shows nothing (empty, or only spaces and invisible
 * characters, see `isBlankText`) is refused: null is how to say "no title". Lengths are counted in
 * Unicode code points, as the API's schemas count them (`textLength`), after trimming.
 *
 * @throws DarkroomError `invalid_input` (400) naming the field and what to send instead.
 * @example
 * checkSessionFields({ title: '  Rings ' }); // { title: 'Rings' }
 */
export function checkSessionFields(fields: SessionChanges): SessionChanges {
  const checked: SessionChanges = {};
  for (const name of ['title', 'description'] as const) {
    const value: unknown = fields[name];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') {
      throw errors.invalidInput(`${name} must be a string of at most ${limits[name]} characters, or null to clear it; got ${Array.isArray(value) ? 'an array' : typeof value}`, { field: name });
    }
    if (value === null) {
      checked[name] = null;
      continue;
    }
    checkWellFormedText(value, name);
    const text = value.trim();
    if (isBlankText(text)) throw errors.invalidInput(`${name} is empty (or only spaces or invisible characters): send null for no ${name}, or text to show`, { field: name });
    const length = textLength(text);
    if (length > limits[name]) throw errors.invalidInput(`${name} is ${length} characters (Unicode code points) long; the limit is ${limits[name]}: shorten it`, { field: name });
    checked[name] = text;
  }
  return checked;
}

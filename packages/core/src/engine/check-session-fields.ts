import { errors, maxSessionDescriptionLength, maxSessionTitleLength, textLength } from '@darkroom/plugin-api';
import { checkWellFormedText } from '../json/check-well-formed-text.js';
import type { SessionChanges } from '../store/conversation-store.js';

const limits = { title: maxSessionTitleLength, description: maxSessionDescriptionLength } as const;

/**
 * A session's `title` (at most 200 characters) and `description` (at most 2000), counted in
 * Unicode code points as the API's schemas count them (`textLength`), as a caller gave them, checked: each is a string or null (clears it); one left out stays left out.
 *
 * @throws DarkroomError `invalid_input` (400) naming the field and what to send instead.
 * @example
 * checkSessionFields({ title: 'Rings' }); // { title: 'Rings' }
 */
export function checkSessionFields(fields: SessionChanges): SessionChanges {
  const checked: SessionChanges = {};
  for (const name of ['title', 'description'] as const) {
    const value: unknown = fields[name];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') {
      throw errors.invalidInput(`${name} must be a string of at most ${limits[name]} characters, or null to clear it; got ${Array.isArray(value) ? 'an array' : typeof value}`, { field: name });
    }
    if (typeof value === 'string') {
      checkWellFormedText(value, name);
      const length = textLength(value);
      if (length > limits[name]) throw errors.invalidInput(`${name} is ${length} characters (Unicode code points) long; the limit is ${limits[name]}: shorten it`, { field: name });
    }
    checked[name] = value;
  }
  return checked;
}

import { DarkroomError, jsonTextDepth, maxJsonDepth } from '@darkroom/core';

/**
 * Parses JSON text with the one depth limit every way a value arrives shares (a body, a multipart
 * field): nesting deeper than {@link maxJsonDepth} is refused before any code walks it.
 *
 * @param where what the text is, for messages ("The body", "The field \"metadata\"").
 * @throws DarkroomError `invalid_input` (400) when too deep or not JSON.
 */
export function parseJsonText(text: string, where: string): unknown {
  if (jsonTextDepth(text) > maxJsonDepth) throw new DarkroomError({ code: 'invalid_input', message: `${where} is JSON nested deeper than ${maxJsonDepth} levels; flatten it` });
  try {
    return JSON.parse(text);
  } catch {
    throw new DarkroomError({ code: 'invalid_input', message: `${where} is not valid JSON` });
  }
}

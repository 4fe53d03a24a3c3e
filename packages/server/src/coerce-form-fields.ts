import { jsonTextDepth, maxJsonDepth } from '@darkroom/core';
import { z } from 'zod';
import { parseJsonText } from './parse-json-text.js';

/**
 * A multipart text field read as JSON when it is a number, boolean or JSON object/array (parsed with
 * the body's own depth limit: too deep is refused like a JSON body); otherwise the text itself.
 */
export function formFieldValue(name: string, text: string): unknown {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed) || trimmed === 'true' || trimmed === 'false') return JSON.parse(trimmed);
  if (/^[[{]/.test(trimmed)) {
    try {
      return parseJsonText(trimmed, `The field ${JSON.stringify(name)}`);
    } catch (error) {
      // Text that merely starts with a bracket stays text; JSON that is too deep is refused like a body.
      if (jsonTextDepth(trimmed) > maxJsonDepth) throw error;
      return text;
    }
  }
  return text;
}

/**
 * A multipart form's text fields typed as the route's body schema takes them: a field the schema
 * takes as text stays the text that was sent (a prompt or a chat message "1984" is not the number
 * 1984, "007" keeps its zeros); otherwise it is read as a number, boolean or JSON
 * ({@link formFieldValue}). Files (bytes) and fields the schema does not name pass as they are, the
 * latter read as JSON, so that the schema's own refusal names the right type.
 *
 * @param schema the route's body schema; a non-object schema reads every text field as JSON.
 * @param form the form as `readMultipartForm` gives it: text fields as strings, files as bytes.
 * @throws DarkroomError `invalid_input` (400) for a field holding JSON deeper than the body limit.
 */
export function coerceFormFields(schema: z.ZodType | undefined, form: Record<string, unknown>): Record<string, unknown> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    let field = value;
    if (typeof value === 'string') {
      const fieldSchema = shape && Object.hasOwn(shape, name) ? shape[name] : undefined;
      field = fieldSchema?.safeParse(value).success ? value : formFieldValue(name, value);
    }
    // An own property even for names like "__proto__" (assignment would set the object's prototype).
    Object.defineProperty(typed, name, { value: field, enumerable: true, writable: true, configurable: true });
  }
  return typed;
}

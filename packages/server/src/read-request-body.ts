import { checkWellFormedText, DarkroomError, imageFieldsOf } from '@darkroom/core';
import { parseJsonText } from './parse-json-text.js';
import type { Context } from 'hono';
import type { z } from 'zod';
import { coerceFormFields } from './coerce-form-fields.js';
import { readMultipartForm } from './read-multipart-form.js';
import type { ServerEnv } from './server-env.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body: strict UTF-8, bounded depth, an object at the top. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DarkroomError({ code: 'invalid_input', message: 'The body is not valid UTF-8' });
  }
  const parsed = parseJsonText(text, 'The body');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DarkroomError({ code: 'invalid_input', message: 'The body must be a JSON object' });
  }
  return parsed as Record<string, unknown>;
}

/**
 * The request body as an object: JSON, or (where the route takes uploads) multipart form data whose
 * files in the image fields of `options.schema` (the route's body: `imageFieldsOf`) become `Buffer`s
 * of their bytes (see {@link readMultipartForm}), never base64 text: the engine stores bytes as they
 * are; its text fields are typed by that schema (see {@link coerceFormFields}). Nothing is stored
 * here: images reach storage only after the request's fields have been validated.
 *
 * Every route's body comes through here, plugin routes' too: text that is not valid Unicode (an
 * unpaired surrogate, from a JSON `\ud800` escape or a form field in UTF-16) is refused with 400
 * naming the field (`checkWellFormedText`), never stored as U+FFFD.
 */
export async function readRequestBody(c: Context<ServerEnv>, options: { multipart: boolean; schema?: z.ZodType }): Promise<Record<string, unknown>> {
  const body = await readBody(c, options);
  checkWellFormedText(body, 'body');
  return body;
}

async function readBody(c: Context<ServerEnv>, options: { multipart: boolean; schema?: z.ZodType }): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') && options.multipart) {
    return coerceFormFields(options.schema, await readMultipartForm(c.req.raw, { imageFields: options.schema ? imageFieldsOf(options.schema) : [] }));
  }
  if (type.startsWith('application/json') || type === '' || /^application\/[a-z0-9.+-]*\+json/.test(type)) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0 && type === '') return {};
    return parseJsonObject(bytes);
  }
  throw new DarkroomError({ code: 'unsupported_media_type', message: options.multipart ? 'Send application/json or multipart/form-data' : 'Send application/json' });
}

import { DarkroomError } from '@darkroom/core';
import type { Context } from 'hono';
import type { ServerEnv } from './server-env.js';

const fileFields = new Set(['image', 'mask']);

/** A multipart text field as JSON when it is a number, boolean or JSON value; else the string. */
function fieldValue(value: string): unknown {
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed) || trimmed === 'true' || trimmed === 'false' || /^[[{]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * The request body as an object: JSON, or multipart form data whose `image`/`mask` files are stored
 * as assets first and passed on as `{ asset_id }`.
 */
export async function readRequestBody(c: Context<ServerEnv>): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    let form: Record<string, unknown>;
    try {
      form = (await c.req.parseBody({ all: false })) as Record<string, unknown>;
    } catch {
      throw new DarkroomError({ code: 'invalid_input', message: 'The multipart body could not be read' });
    }
    const body: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(form)) {
      if (value instanceof File) {
        if (!fileFields.has(name)) throw new DarkroomError({ code: 'invalid_input', message: `Unexpected file field ${JSON.stringify(name)}; send the image as "image"` });
        const asset = await c.get('engine').assets.upload(c.get('userId'), new Uint8Array(await value.arrayBuffer()));
        body[name] = { asset_id: asset.id };
      } else if (typeof value === 'string') {
        body[name] = fieldValue(value);
      }
    }
    return body;
  }
  if (type.startsWith('application/json') || type === '') {
    const text = await c.req.text();
    if (text.trim() === '' && type === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DarkroomError({ code: 'invalid_input', message: 'The body is not valid JSON' });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new DarkroomError({ code: 'invalid_input', message: 'The body must be a JSON object' });
    }
    return parsed as Record<string, unknown>;
  }
  throw new DarkroomError({ code: 'unsupported_media_type', message: 'Send application/json or multipart/form-data' });
}

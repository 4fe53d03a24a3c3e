import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DarkroomError } from '@darkroom/core';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { imageFields } from './safety/resolve-image-urls.js';

/** The file fields a form may carry; any other file is refused. */
export const multipartFileFields: ReadonlySet<string> = new Set(imageFields);

/**
 * Caps on one multipart form, checked while it streams in: the widest route has 12 fields, so a form
 * beyond these is refused (400) after at most one slice of parsing, whatever its total size.
 */
export const multipartLimits = {
  /** Text fields. */
  fields: 32,
  /** File parts: `image` and `mask`. */
  files: multipartFileFields.size,
  /** All parts, including those without a usable Content-Disposition (which are skipped). */
  parts: 34,
  /** Bytes of one text field (413 beyond). */
  fieldSize: 1024 * 1024,
} as const;

/** The parser sees the body at most this many bytes at a time, so a refusal stops it early. */
const sliceBytes = 64 * 1024;

async function* slices(body: WebReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of Readable.fromWeb(body)) {
    const bytes = chunk as Uint8Array;
    for (let offset = 0; offset < bytes.byteLength; offset += sliceBytes) yield bytes.subarray(offset, offset + sliceBytes);
  }
}

function invalid(message: string): DarkroomError {
  return new DarkroomError({ code: 'invalid_input', message });
}

/**
 * Reads a `multipart/form-data` request with a streaming parser (RFC 7578: quoted or bare parameters,
 * `filename*` in RFC 5987 form) into a body object: `image`/`mask` files become `Buffer`s of their
 * bytes (never base64 text: the engine stores bytes as they are and sniffs their type), text fields stay
 * the text that was sent (`coerceFormFields` types them by the route's schema). A part counts as a file when it has a filename, or when it is `image`/`mask`
 * with a non-text Content-Type.
 *
 * Beyond {@link multipartLimits}, a file in another field, a field sent twice (as text, as a file, or
 * both), or a form cut off
 * before its closing boundary, it stops reading and throws a 4xx DarkroomError that says what to change.
 * The body size itself is capped before this (`bodyLimit`, DARKROOM_MAX_BODY_BYTES).
 */
export async function readMultipartForm(request: Request): Promise<Record<string, unknown>> {
  const contentType = request.headers.get('content-type') ?? '';
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      limits: multipartLimits,
      isPartAFile: (name, type, filename) => filename !== undefined || (multipartFileFields.has(name ?? '') && type !== undefined && !type.startsWith('text/')),
    });
  } catch {
    throw invalid('The multipart Content-Type has no boundary: send "multipart/form-data; boundary=…" as your HTTP client sets it');
  }
  if (!request.body) throw invalid('The multipart body is empty: send the form, or send JSON');

  const body: Record<string, unknown> = {};
  const files = new Map<string, Buffer[]>();
  let refusal: DarkroomError | undefined;
  const refuse = (error: DarkroomError) => {
    refusal ??= error;
    parser.destroy(refusal);
  };
  /** A part must name its field: `Content-Disposition: form-data; name="…"` (the parser hands a nameless one over as undefined). */
  const unnamed = () => invalid('A form part has no name: send each part with Content-Disposition: form-data; name="…" (the image as a file part named "image")');
  parser
    .on('file', (name, stream) => {
      stream.on('error', () => undefined);
      if (typeof name !== 'string') {
        stream.resume();
        return refuse(unnamed());
      }
      if (!multipartFileFields.has(name)) {
        stream.resume();
        return refuse(invalid(`Unexpected file field ${JSON.stringify(name).slice(0, 120)}: send the image as "image" (and a mask as "mask")`));
      }
      if (files.has(name) || Object.hasOwn(body, name)) {
        stream.resume();
        return refuse(invalid(`The field "${name}" was sent twice${files.has(name) ? '' : ' (as text and as a file)'}: send one "image" (and at most one "mask"), as a file or as text, not both`));
      }
      const chunks: Buffer[] = [];
      files.set(name, chunks);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    })
    .on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (typeof name !== 'string') return refuse(unnamed());
      if (valueTruncated) {
        return refuse(new DarkroomError({ code: 'payload_too_large', message: `The form field ${JSON.stringify(name).slice(0, 120)} is longer than ${multipartLimits.fieldSize} bytes: send images as file parts named "image" or "mask"`, details: { maxFieldBytes: multipartLimits.fieldSize } }));
      }
      // One value per field: which of two a route should take is not ours to guess.
      if (Object.hasOwn(body, name) || files.has(name)) {
        return refuse(invalid(`The form field ${JSON.stringify(name).slice(0, 120)} was sent twice${files.has(name) ? ' (as a file and as text)' : ''}: send each field once (a list as one field holding a JSON array)`));
      }
      // An own property even for names like "__proto__" (assignment would set the object's prototype).
      Object.defineProperty(body, name, { value, enumerable: true, writable: true, configurable: true });
    })
    .on('partsLimit', () => refuse(invalid(`The form has more than ${multipartLimits.parts} parts: send only the route's fields and at most one "image" and one "mask"`)))
    .on('fieldsLimit', () => refuse(invalid(`The form has more than ${multipartLimits.fields} text fields: send only the fields the route documents`)))
    .on('filesLimit', () => refuse(invalid(`The form has more than ${multipartLimits.files} files: send one "image" and at most one "mask"`)));

  try {
    await pipeline(slices(request.body as WebReadableStream<Uint8Array>), parser);
  } catch (error) {
    if (refusal) throw refusal;
    if (DarkroomError.isInstance(error) || request.signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (/unexpected end/i.test(reason)) throw invalid('The multipart body ended before its closing boundary ("--" + boundary + "--", lines ending in CRLF): send the complete form');
    throw new DarkroomError({ code: 'invalid_input', message: 'The multipart body is malformed: send multipart/form-data as RFC 7578 describes (your HTTP client\'s form API does)', details: { reason: reason.slice(0, 200) } });
  }
  for (const [name, chunks] of files) body[name] = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return body;
}

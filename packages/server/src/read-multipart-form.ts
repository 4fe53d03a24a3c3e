import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DarkroomError, type ImageField } from '@darkroom/core';
import { Busboy, type BusboyInstance } from '@fastify/busboy';

/**
 * Caps on one multipart form, checked while it streams in: the widest route has 12 fields, so a form
 * beyond these is refused (400) after at most one slice of parsing, whatever its total size.
 */
export const multipartLimits = {
  /** Text fields. */
  fields: 32,
  /** File parts, over all image fields (a list field takes several); the server's `imageUrls.maxImages` then caps the images of a request. */
  files: 16,
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
 * `filename*` in RFC 5987 form) into a body object: files in the route's image fields
 * (`options.imageFields`, `imageFieldsOf` its body) become `Buffer`s of their bytes (never base64
 * text: the engine stores bytes as they are and sniffs their type), an array of them for a list field
 * (one file part per image, repeated under the field's name, in the order sent); text fields stay the
 * text that was sent (`coerceFormFields` types them by the route's schema). A part counts as a file
 * when it has a filename, or when it is in an image field with a non-text Content-Type.
 *
 * Beyond {@link multipartLimits}, a file in a field that takes no image, a field sent twice (as text,
 * as a file, or both; a list field's files excepted), or a form cut off before its closing boundary,
 * it stops reading and throws a 4xx DarkroomError that says what to change. The body size itself is
 * capped before this (`bodyLimit`, DARKROOM_MAX_BODY_BYTES).
 */
export async function readMultipartForm(request: Request, options: { imageFields: readonly ImageField[] }): Promise<Record<string, unknown>> {
  const imageFields = new Map(options.imageFields.map((field) => [field.name, field]));
  const fileFields = options.imageFields.length > 0 ? options.imageFields.map((field) => JSON.stringify(field.name)).join(', ') : undefined;
  const contentType = request.headers.get('content-type') ?? '';
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      limits: multipartLimits,
      isPartAFile: (name, type, filename) => filename !== undefined || (imageFields.has(name ?? '') && type !== undefined && !type.startsWith('text/')),
    });
  } catch {
    throw invalid('The multipart Content-Type has no boundary: send "multipart/form-data; boundary=…" as your HTTP client sets it');
  }
  if (!request.body) throw invalid('The multipart body is empty: send the form, or send JSON');

  const body: Record<string, unknown> = {};
  // Each image field's files, each file as the chunks it came in.
  const files = new Map<string, Buffer[][]>();
  let refusal: DarkroomError | undefined;
  const refuse = (error: DarkroomError) => {
    refusal ??= error;
    parser.destroy(refusal);
  };
  /** A part must name its field: `Content-Disposition: form-data; name="…"` (the parser hands a nameless one over as undefined). */
  const unnamed = () => invalid('A form part has no name: send each part with Content-Disposition: form-data; name="…" (an image as a file part named after its field)');
  parser
    .on('file', (name, stream) => {
      stream.on('error', () => undefined);
      if (typeof name !== 'string') {
        stream.resume();
        return refuse(unnamed());
      }
      const field = imageFields.get(name);
      if (!field) {
        stream.resume();
        return refuse(invalid(`Unexpected file field ${JSON.stringify(name).slice(0, 120)}: ${fileFields ? `this route takes files in ${fileFields}` : 'this route takes no files'}`));
      }
      if (Object.hasOwn(body, name)) {
        stream.resume();
        return refuse(invalid(`The field "${name}" was sent as text and as a file: send its image${field.list ? 's' : ''} one way, not both`));
      }
      if (files.has(name) && !field.list) {
        stream.resume();
        return refuse(invalid(`The field "${name}" was sent twice: it takes one image`));
      }
      const chunks: Buffer[] = [];
      if (files.has(name)) files.get(name)!.push(chunks);
      else files.set(name, [chunks]);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    })
    .on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (typeof name !== 'string') return refuse(unnamed());
      if (valueTruncated) {
        return refuse(new DarkroomError({ code: 'payload_too_large', message: `The form field ${JSON.stringify(name).slice(0, 120)} is longer than ${multipartLimits.fieldSize} bytes: send images as file parts${fileFields ? ` (${fileFields})` : ''}`, details: { maxFieldBytes: multipartLimits.fieldSize } }));
      }
      // One value per field: which of two a route should take is not ours to guess.
      if (Object.hasOwn(body, name) || files.has(name)) {
        return refuse(invalid(`The form field ${JSON.stringify(name).slice(0, 120)} was sent twice${files.has(name) ? ' (as a file and as text)' : ''}: send each field once (a list as one field holding a JSON array)`));
      }
      // An own property even for names like "__proto__" (assignment would set the object's prototype).
      Object.defineProperty(body, name, { value, enumerable: true, writable: true, configurable: true });
    })
    .on('partsLimit', () => refuse(invalid(`The form has more than ${multipartLimits.parts} parts: send only the fields the route documents`)))
    .on('fieldsLimit', () => refuse(invalid(`The form has more than ${multipartLimits.fields} text fields: send only the fields the route documents`)))
    .on('filesLimit', () => refuse(invalid(`The form has more than ${multipartLimits.files} files: send at most ${multipartLimits.files} images`)));

  try {
    await pipeline(slices(request.body as WebReadableStream<Uint8Array>), parser);
  } catch (error) {
    if (refusal) throw refusal;
    if (DarkroomError.isInstance(error) || request.signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (/unexpected end/i.test(reason)) throw invalid('The multipart body ended before its closing boundary ("--" + boundary + "--", lines ending in CRLF): send the complete form');
    throw new DarkroomError({ code: 'invalid_input', message: 'The multipart body is malformed: send multipart/form-data as RFC 7578 describes (your HTTP client\'s form API does)', details: { reason: reason.slice(0, 200) } });
  }
  for (const [name, parts] of files) {
    const buffers = parts.map((chunks) => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    body[name] = imageFields.get(name)!.list ? buffers : buffers[0]!;
  }
  return body;
}

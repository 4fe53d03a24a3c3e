/**
 * An image to send: bytes (`Uint8Array`, `ArrayBuffer`, `Blob`/`File`) or a local file (`{ path }`,
 * Node only) are uploaded as multipart/form-data file parts; `{ url }` or an http(s) URL string is
 * fetched by the server; `{ assetId }` names an image already stored; a `data:` URI is sent as it is.
 */
export type ImageSource = Uint8Array | ArrayBuffer | Blob | { url: string } | { assetId: string } | { path: string } | string;

/** Whether a value is an image the client must upload as a file part (bytes, a Blob or a local path). */
export function isUpload(value: unknown): value is Uint8Array | ArrayBuffer | Blob | { path: string } {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || (typeof Blob !== 'undefined' && value instanceof Blob) || (typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string' && Object.keys(value).length === 1);
}

/**
 * The JSON form of an image that is not uploaded: `{ url }` → the URL, `{ assetId }` → `{ asset_id }`;
 * strings and any other value (e.g. `{ asset_id }`, `{ base64, mime_type }`) pass as they are.
 */
export function toJsonImage(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || isUpload(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && typeof (value as { url?: unknown }).url === 'string') return (value as { url: string }).url;
  if (keys.length === 1 && typeof (value as { assetId?: unknown }).assetId === 'string') return { asset_id: (value as { assetId: string }).assetId };
  return value;
}

/**
 * The bytes of an upload as a Blob and a file name for its part. A `{ path }` is read with
 * node:fs/promises, imported only then (so the client bundles for browsers).
 * @throws TypeError for `{ path }` outside Node; the file system's error when the file cannot be read.
 */
export async function toUploadPart(value: Uint8Array | ArrayBuffer | Blob | { path: string }, field: string): Promise<{ blob: Blob; filename: string }> {
  if (value instanceof Blob) return { blob: value, filename: (value as { name?: string }).name || field };
  if (value instanceof Uint8Array) return { blob: new Blob([value as Uint8Array<ArrayBuffer>]), filename: field };
  if (value instanceof ArrayBuffer) return { blob: new Blob([value]), filename: field };
  if (typeof process === 'undefined' || !process.versions?.node) throw new TypeError(`${field}: { path } images are read from the file system, which only Node has; pass a Blob or bytes in a browser`);
  // Named through variables so that browser bundlers leave them alone: only Node reaches this line.
  const fs = 'node:fs/promises';
  const path = 'node:path';
  const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
  const { basename } = (await import(/* @vite-ignore */ path)) as typeof import('node:path');
  const bytes = await readFile(value.path);
  return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), filename: basename(value.path) };
}

/**
 * A request body as `fetch` sends it: JSON when no image field holds an upload, else
 * multipart/form-data with each upload as a file part (a list field's, one part per image under its
 * name), strings as they are and other values as JSON text (the server reads numbers, booleans,
 * objects and arrays back from it). In the image fields (`imageFields`: a feature's `image_fields`,
 * or `imageFieldsOf` a route's body), `{ url }` and `{ assetId }` become the JSON the server takes.
 * `undefined` fields are left out.
 *
 * @throws TypeError for an upload in a field that takes no image, or a list that mixes uploads with
 * URLs or asset ids (a form sends a list's images one way).
 */
export async function toRequestBody(body: Record<string, unknown>, imageFields: readonly string[]): Promise<{ body: string | FormData; contentType?: string }> {
  const images = new Set(imageFields);
  const entries = Object.entries(body).filter(([, value]) => value !== undefined);
  const itemsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const stray = entries.find(([name, value]) => !images.has(name) && itemsOf(value).some(isUpload));
  if (stray) throw new TypeError(`${stray[0]}: takes no image, so no uploaded bytes (the image fields here: ${imageFields.join(', ') || 'none'})`);
  const fields = entries.map(([name, value]) => [name, !images.has(name) ? value : Array.isArray(value) ? value.map(toJsonImage) : toJsonImage(value)] as const);
  const uploads = fields.filter(([name, value]) => images.has(name) && itemsOf(value).some(isUpload));
  if (!uploads.length) return { body: JSON.stringify(Object.fromEntries(fields)), contentType: 'application/json' };
  const mixed = uploads.find(([, value]) => !itemsOf(value).every(isUpload));
  if (mixed) throw new TypeError(`${mixed[0]}: a list sent with uploads takes uploads only (bytes, a Blob or { path }); send URLs and asset ids in a request without uploads`);
  const form = new FormData();
  for (const [name, value] of fields) {
    if (!uploads.some(([upload]) => upload === name)) form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    else for (const item of itemsOf(value)) {
      const { blob, filename } = await toUploadPart(item as Uint8Array | ArrayBuffer | Blob | { path: string }, name);
      form.append(name, blob, filename);
    }
  }
  return { body: form };
}

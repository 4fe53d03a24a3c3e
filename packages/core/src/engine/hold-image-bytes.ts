import { createHash, randomUUID } from 'node:crypto';

/** Byte values are looked for no deeper than this in an input (image fields sit at the top). */
const maxSearchDepth = 64;

/**
 * Raw image bytes found in an input (see {@link holdImageBytes}), held aside so the rest of the input
 * can be validated by a zod schema that only knows the JSON image forms.
 */
export interface HeldImageBytes {
  /**
   * The input with every byte value replaced by a placeholder `{ asset_id }` (which any image schema
   * accepts as a stored image); the input itself, untouched, when it holds no bytes.
   */
  readonly input: unknown;
  /** How many byte values were found. */
  readonly count: number;
  /**
   * `value` (typically `input` as a schema parsed it) with each placeholder replaced by the very
   * bytes it stands for (no copy). A value without placeholders is answered as it is.
   */
  restore<T>(value: T): T;
  /**
   * The input with each byte value replaced by `{ image_bytes_sha256: <hex> }`: what makes two
   * requests the same for an idempotency key, without hashing megabytes as JSON text.
   */
  digest(): unknown;
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * `value` with each part `swap` answers for (anything but `undefined`) replaced by that answer, looking
 * through arrays and plain objects down to `maxSearchDepth`; the same object when nothing was swapped.
 */
function replaceParts(value: unknown, swap: (part: unknown) => unknown, depth = 0): unknown {
  const swapped = swap(value);
  if (swapped !== undefined) return swapped;
  if (depth >= maxSearchDepth) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const next = replaceParts(item, swap, depth + 1);
      changed ||= next !== item;
      return next;
    });
    return changed ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const next = replaceParts(item, swap, depth + 1);
    changed ||= next !== item;
    return [key, next] as const;
  });
  if (!changed) return value;
  const copy: Record<string, unknown> = {};
  // Own properties even for names like "__proto__" (assignment would set the copy's prototype).
  for (const [key, item] of entries) Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** `value` with each `Uint8Array` replaced by `swap(bytes)`. */
const replaceBytes = (value: unknown, swap: (bytes: Uint8Array) => unknown) => replaceParts(value, (part) => (isBytes(part) ? swap(part) : undefined));

/** `value` with each object `{ asset_id }` whose id `lookup` knows replaced by what it answers. */
const replacePlaceholders = (value: unknown, lookup: (assetId: string) => Uint8Array | undefined) =>
  replaceParts(value, (part) => {
    if (!isPlainObject(part) || typeof part.asset_id !== 'string' || Object.keys(part).length !== 1) return undefined;
    return lookup(part.asset_id);
  });

/**
 * Finds raw image bytes (`Buffer` or any `Uint8Array`, in plain objects and arrays) in an input and
 * holds them aside behind placeholders, so the input can be validated first and the bytes stored
 * afterwards as they are: no base64 text is ever made of them. Nothing is copied: `restore` gives
 * back the caller's own byte arrays.
 *
 * @example
 * const held = holdImageBytes({ image: photoBuffer, scale: 2 });
 * const parsed = schema.parse(held.input); // { image: { asset_id: <placeholder> }, scale: 2 }
 * held.restore(parsed);                    // { image: photoBuffer, scale: 2 }
 */
export function holdImageBytes(input: unknown): HeldImageBytes {
  let prefix: string | undefined;
  const held = new Map<string, Uint8Array>();
  const placed = replaceBytes(input, (bytes) => {
    // A random prefix only when there are bytes: most inputs have none, and this runs on every call.
    prefix ??= `bytes:${randomUUID()}:`;
    const id = `${prefix}${held.size}`;
    held.set(id, bytes);
    return { asset_id: id };
  });
  return {
    input: placed,
    count: held.size,
    restore: <T>(value: T): T => (held.size === 0 ? value : (replacePlaceholders(value, (id) => held.get(id)) as T)),
    digest: () => (held.size === 0 ? input : replaceBytes(input, (bytes) => ({ image_bytes_sha256: createHash('sha256').update(bytes).digest('hex') }))),
  };
}

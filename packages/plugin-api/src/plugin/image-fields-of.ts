import { z } from 'zod';

/**
 * The zod metadata key that marks a schema as an image, shown as is in its JSON Schema
 * (`"x-darkroom-image": true`). `imageInput` carries it; so does any schema made from it with
 * `.describe()`/`.meta()`, which keep their parent's metadata. A marker rather than object identity:
 * a plugin installed with its own copy of this package still marks its image fields the same way.
 */
export const imageSchemaKeyword = 'x-darkroom-image';

/** An input field that takes images: its name, and whether it takes a list of them (`z.array(imageInput)`). */
export interface ImageField {
  name: string;
  list: boolean;
}

/** Schema kinds that only wrap another schema (`.optional()`, `.nullable()`, `.default()`, …). */
const wrapperKinds = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

type Definition = { type: string; innerType?: z.core.$ZodType; element?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType> };
const definitionOf = (schema: z.core.$ZodType) => schema._zod.def as unknown as Definition;

/** `schema` with its wrappers taken off, unless a level carries the image marker (that level is answered). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (!isMarked(current) && wrapperKinds.has(definitionOf(current).type) && definitionOf(current).innerType) current = definitionOf(current).innerType!;
  return current;
}

const isMarked = (schema: z.core.$ZodType) => z.globalRegistry.get(schema)?.[imageSchemaKeyword] === true;

/**
 * Whether a schema takes one image: `imageInput` (or a schema marked like it, see
 * {@link imageSchemaKeyword}), through `.optional()`, `.nullable()`, `.default()`, `.describe()` and
 * the like.
 *
 * @example
 * isImageSchema(imageInput.optional().describe('A reference photo')); // true
 * isImageSchema(z.array(imageInput));                                 // false: a list (see imageFieldsOf)
 */
export function isImageSchema(schema: z.core.$ZodType): boolean {
  return isMarked(unwrap(schema));
}

/**
 * The top-level fields of an object schema that take images: each field whose schema is an image
 * ({@link isImageSchema}), or a list of images (`z.array(imageInput)`, wrappers allowed on the list
 * and its items), in the schema's order. This is how the engine, the server (multipart file parts,
 * image URLs, `image_fields` of `GET /v1/features`), the CLI, MCP and the playground know a
 * feature's image fields, whatever their names. A schema that is not an object has none.
 *
 * @example
 * imageFieldsOf(z.object({ prompt: z.string(), reference: imageInput.optional(), extras: z.array(imageInput).max(4) }));
 * // [{ name: 'reference', list: false }, { name: 'extras', list: true }]
 */
export function imageFieldsOf(schema: z.core.$ZodType): ImageField[] {
  const { type, shape } = definitionOf(schema);
  if (type !== 'object' || !shape) return [];
  const fields: ImageField[] = [];
  for (const [name, field] of Object.entries(shape)) {
    const unwrapped = unwrap(field);
    if (isMarked(unwrapped)) fields.push({ name, list: false });
    else if (definitionOf(unwrapped).type === 'array' && isImageSchema(definitionOf(unwrapped).element!)) fields.push({ name, list: true });
  }
  return fields;
}

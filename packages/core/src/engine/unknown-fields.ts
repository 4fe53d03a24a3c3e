import { z } from 'zod';

/**
 * The top-level fields of `input` that `schema` does not declare, when the schema is an object that
 * would silently drop them (zod's default): a misspelt option (`scael`) must be refused, not ignored.
 * Empty for a schema that is not an object, one that takes extra fields (`.loose()`, `.catchall()`)
 * or refuses them itself (`.strict()`), and for an input that is not a plain object.
 *
 * @returns `{ unknown, known }`: the fields not declared, in input order, and the declared ones.
 */
export function unknownFields(schema: z.ZodType, input: unknown): { unknown: string[]; known: string[] } {
  if (!(schema instanceof z.ZodObject) || typeof input !== 'object' || input === null || Array.isArray(input)) return { unknown: [], known: [] };
  // A catchall (loose: unknown, strict: never) decides about extra fields itself.
  if ((schema as z.ZodObject)._zod.def.catchall !== undefined) return { unknown: [], known: [] };
  const known = Object.keys((schema as z.ZodObject).shape);
  return { unknown: Object.keys(input).filter((field) => !Object.hasOwn((schema as z.ZodObject).shape, field)), known };
}

import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { imageFieldsOf, imageSchemaKeyword, isImageSchema } from './image-fields-of.js';
import { imageInput } from './image-input.js';

describe('imageFieldsOf', () => {
  it('finds every image field, whatever its name, through wrappers, descriptions and lists', () => {
    const input = z.object({
      prompt: z.string(),
      reference: imageInput.describe('A photo of the piece to match'),
      backdrop: imageInput.optional().describe('Where the piece sits'),
      mood: imageInput.nullable().default(null),
      references: z.array(imageInput.describe('One reference')).min(1).max(4).optional(),
      tags: z.array(z.string()),
      options: z.object({ image: imageInput }),
    });
    expect(imageFieldsOf(input)).toEqual([
      { name: 'reference', list: false },
      { name: 'backdrop', list: false },
      { name: 'mood', list: false },
      { name: 'references', list: true },
    ]);
  });

  it('recognises the marker, not the object: a schema marked by another copy of the package counts', () => {
    const elsewhere = z.union([z.string(), z.object({ asset_id: z.string() })]).meta({ [imageSchemaKeyword]: true });
    expect(isImageSchema(elsewhere.optional())).toBe(true);
    expect(isImageSchema(z.union([imageInput, z.string()]))).toBe(false);
    expect(imageFieldsOf(z.string())).toEqual([]);
  });

  it('shows the marker in the JSON Schema, so a client reading it can tell too', () => {
    const json = z.toJSONSchema(z.object({ reference: imageInput.describe('A reference'), references: z.array(imageInput) })) as { properties: Record<string, Record<string, unknown> & { items?: Record<string, unknown> }> };
    expect(json.properties.reference).toMatchObject({ [imageSchemaKeyword]: true, description: 'A reference' });
    expect(json.properties.references!.items).toMatchObject({ [imageSchemaKeyword]: true });
  });
});

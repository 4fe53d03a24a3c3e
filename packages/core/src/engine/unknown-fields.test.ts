import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { unknownFields } from './unknown-fields.js';

describe('unknownFields', () => {
  const schema = z.object({ image: z.string(), scale: z.number().optional() });

  it('names the fields an object schema would drop, and the ones it takes', () => {
    expect(unknownFields(schema, { image: 'x', scael: 2, colour: 'red' })).toEqual({ unknown: ['scael', 'colour'], known: ['image', 'scale'] });
    expect(unknownFields(schema, { image: 'x', scale: 2 }).unknown).toEqual([]);
  });

  it('leaves to the schema what it decides itself: loose, strict and catchall objects, non-objects', () => {
    expect(unknownFields(schema.loose(), { image: 'x', extra: 1 }).unknown).toEqual([]);
    expect(unknownFields(schema.strict(), { image: 'x', extra: 1 }).unknown).toEqual([]);
    expect(unknownFields(schema.catchall(z.string()), { image: 'x', extra: '1' }).unknown).toEqual([]);
    expect(unknownFields(z.string(), { extra: 1 }).unknown).toEqual([]);
    expect(unknownFields(schema, ['image']).unknown).toEqual([]);
    expect(unknownFields(schema, null).unknown).toEqual([]);
  });

  it('does not take inherited names for declared fields', () => {
    expect(unknownFields(schema, { image: 'x', toString: 1, constructor: 2 }).unknown).toEqual(['toString', 'constructor']);
  });
});

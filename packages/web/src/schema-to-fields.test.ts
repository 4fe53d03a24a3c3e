import { describe, expect, it } from 'vitest';
import { fieldsToInput, initialValues, schemaToFields, type JsonSchema } from './schema-to-fields.js';

// Shapes as zod's toJSONSchema writes the bundled features' inputs (upscale, relight, generate, object removal).
const image = { anyOf: [{ type: 'string', pattern: '^data:image' }, { type: 'object', properties: { asset_id: { type: 'string' } }, required: ['asset_id'] }] };
const schema: JsonSchema = {
  type: 'object',
  properties: {
    image,
    mask: { ...image, description: 'White where the object is' },
    prompt: { type: 'string', minLength: 1, maxLength: 2000 },
    scale: { default: 2, anyOf: [{ type: 'number', const: 2 }, { type: 'number', const: 4 }] },
    direction: { default: 'left', type: 'string', enum: ['left', 'right', 'top'] },
    intensity: { default: 0.5, type: 'number', minimum: 0, maximum: 1 },
    warmth: { default: 0, type: 'number', minimum: -1, maximum: 1 },
    num_images: { default: 1, type: 'integer', minimum: 1, maximum: 4 },
    seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
    sharpen: { default: false, type: 'boolean' },
    background: { type: 'string', pattern: '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$' },
    provider: { type: 'string', maxLength: 64 },
    webhook_url: { type: 'string', format: 'uri', maxLength: 2048 },
  },
  required: ['image', 'prompt'],
};

// The jewelry plugin's stones (an array of objects, as zod writes it) with an object, an array of enums and arrays of strings and numbers.
const jewelry: JsonSchema = {
  type: 'object',
  properties: {
    gemstones: {
      default: [],
      maxItems: 6,
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['diamond', 'sapphire', 'ruby'] },
          cut: { type: 'string', enum: ['round', 'princess'] },
          colour: { type: 'string', minLength: 1, maxLength: 30 },
          size: { type: 'string', enum: ['small', 'medium', 'large'] },
          count: { type: 'integer', minimum: 1, maximum: 200 },
        },
        required: ['kind'],
        additionalProperties: false,
      },
    },
    setting: { type: 'object', properties: { height: { type: 'number', minimum: 0 }, prongs: { type: 'boolean' } }, required: ['height'] },
    finishes: { type: 'array', items: { type: 'string', enum: ['polished', 'matte'] }, maxItems: 2 },
    tags: { type: 'array', items: { type: 'string', maxLength: 20, title: 'Tag' } },
    sizes: { type: 'array', items: { type: 'integer' }, minItems: 1 },
  },
  required: ['setting'],
};

describe('schemaToFields', () => {
  const fields = schemaToFields(schema, ['image', 'mask']);
  const field = (name: string) => fields.find((candidate) => candidate.name === name)!;

  it('keeps property order and names image fields as pickers, the mask as a painter', () => {
    expect(fields.map((candidate) => candidate.name)).toEqual(Object.keys(schema.properties!));
    expect(field('image')).toMatchObject({ kind: 'image', required: true, advanced: false });
    expect(field('mask')).toMatchObject({ kind: 'mask', required: false, advanced: false, description: 'White where the object is' });
  });

  it('makes selects of enums and of unions of constants, keeping the constants\' types and defaults', () => {
    expect(field('direction')).toMatchObject({ kind: 'select', options: ['left', 'right', 'top'], default: 'left' });
    expect(field('scale')).toMatchObject({ kind: 'select', options: [2, 4], default: 2 });
  });

  it('makes sliders of bounded numbers with a step that fits the range, and number boxes of huge ranges', () => {
    expect(field('intensity')).toMatchObject({ kind: 'slider', min: 0, max: 1, step: 0.01, default: 0.5 });
    expect(field('warmth')).toMatchObject({ kind: 'slider', min: -1, max: 1, step: 0.01 });
    expect(field('num_images')).toMatchObject({ kind: 'slider', min: 1, max: 4, step: 1, label: 'Num images' });
    expect(field('seed')).toMatchObject({ kind: 'number', step: 1, advanced: true });
  });

  it('makes a text area of long text, a text box of short text (with its pattern) and of URLs, a checkbox of booleans', () => {
    expect(field('prompt')).toMatchObject({ kind: 'textarea', required: true, maxLength: 2000, advanced: false });
    expect(field('background')).toMatchObject({ kind: 'text', pattern: schema.properties!.background!.pattern, advanced: true });
    expect(field('sharpen')).toMatchObject({ kind: 'checkbox', default: false, advanced: false });
    expect(field('provider')).toMatchObject({ kind: 'text', advanced: true });
    expect(field('webhook_url')).toMatchObject({ kind: 'text', maxLength: 2048 });
  });

  it('makes an image picker of any field the feature names as an image, and a list picker of a list of images', () => {
    const jewelry: JsonSchema = { type: 'object', properties: { reference: image, extras: { type: 'array', items: image, maxItems: 4 }, title: { type: 'string' } }, required: ['reference'] };
    expect(schemaToFields(jewelry, ['reference', 'extras']).map(({ name, kind, required }) => ({ name, kind, required }))).toEqual([
      { name: 'reference', kind: 'image', required: true },
      { name: 'extras', kind: 'images', required: false },
      { name: 'title', kind: 'text', required: false },
    ]);
    const fields = schemaToFields(jewelry, ['reference', 'extras']);
    expect(fieldsToInput(fields, { reference: { asset_id: 'ast_1' }, extras: ['data:image/png;base64,AAAA', { asset_id: 'ast_2' }] })).toEqual({ reference: { asset_id: 'ast_1' }, extras: ['data:image/png;base64,AAAA', { asset_id: 'ast_2' }] });
    expect(fieldsToInput(fields, { reference: { asset_id: 'ast_1' }, extras: [] })).toEqual({ reference: { asset_id: 'ast_1' } });
  });

  it('makes a list of an array of objects, each item a group of the objects\' fields by the same rules, capped at maxItems', () => {
    const [gemstones] = schemaToFields(jewelry);
    expect(gemstones).toMatchObject({ name: 'gemstones', kind: 'list', maxItems: 6, default: [], advanced: false });
    expect(gemstones!.item).toMatchObject({ kind: 'group', label: 'Item', required: false });
    expect(gemstones!.item!.fields!.map(({ name, kind, required, options, min, max, step }) => ({ name, kind, required, options, min, max, step }))).toEqual([
      { name: 'kind', kind: 'select', required: true, options: ['diamond', 'sapphire', 'ruby'], min: undefined, max: undefined, step: undefined },
      { name: 'cut', kind: 'select', required: false, options: ['round', 'princess'], min: undefined, max: undefined, step: undefined },
      { name: 'colour', kind: 'text', required: false, options: undefined, min: undefined, max: undefined, step: undefined },
      { name: 'size', kind: 'select', required: false, options: ['small', 'medium', 'large'], min: undefined, max: undefined, step: undefined },
      { name: 'count', kind: 'slider', required: false, options: undefined, min: 1, max: 200, step: 1 },
    ]);
  });

  it('makes a group of an object, choices of an array of enum values, and lists of text or numbers of arrays of strings or numbers', () => {
    const fields = schemaToFields(jewelry);
    const field = (name: string) => fields.find((candidate) => candidate.name === name)!;
    expect(field('setting')).toMatchObject({ kind: 'group', required: true, advanced: false });
    expect(field('setting').fields!.map(({ name, kind }) => ({ name, kind }))).toEqual([{ name: 'height', kind: 'number' }, { name: 'prongs', kind: 'checkbox' }]);
    expect(field('finishes')).toMatchObject({ kind: 'choices', options: ['polished', 'matte'], maxItems: 2, advanced: true });
    expect(field('tags')).toMatchObject({ kind: 'list', item: { kind: 'text', label: 'Tag', maxLength: 20 } });
    expect(field('sizes')).toMatchObject({ kind: 'list', minItems: 1, item: { kind: 'number', step: 1 } });
    expect(initialValues(fields)).toEqual({ gemstones: [], setting: { height: undefined, prongs: false }, finishes: undefined, tags: undefined, sizes: undefined });
  });

  it('sends items with their JSON types, leaving out absent optional fields, empty items and empty optional lists and groups', () => {
    const fields = schemaToFields(jewelry);
    const values = {
      gemstones: [{ kind: 'diamond', cut: 'princess', colour: '', size: undefined, count: 3 }, { kind: 'ruby', colour: 'pink', count: undefined }, { kind: undefined, colour: '' }],
      setting: { height: '2.5', prongs: false },
      finishes: ['polished', 'matte'],
      tags: ['art deco', ''],
      sizes: ['7', '', '9'],
    };
    expect(fieldsToInput(fields, values)).toEqual({
      gemstones: [{ kind: 'diamond', cut: 'princess', count: 3 }, { kind: 'ruby', colour: 'pink' }],
      setting: { height: 2.5 },
      finishes: ['polished', 'matte'],
      tags: ['art deco'],
      sizes: [7, 9],
    });
    expect(fieldsToInput(fields, { ...initialValues(fields), setting: { height: '' } })).toEqual({ setting: {} });
  });

  it('gives no fields for a schema without properties', () => {
    expect(schemaToFields({ type: 'object' })).toEqual([]);
  });
});

describe('fieldsToInput', () => {
  const fields = schemaToFields(schema, ['image', 'mask']);

  it('starts from the defaults and sends typed values, leaving empty optional fields to the server', () => {
    const values = { ...initialValues(fields), image: 'data:image/png;base64,AAAA', prompt: 'Hoàng hôn trên núi', scale: '4', intensity: '0.75', seed: '' };
    expect(fieldsToInput(fields, values)).toEqual({
      image: 'data:image/png;base64,AAAA',
      prompt: 'Hoàng hôn trên núi',
      scale: 4,
      direction: 'left',
      intensity: 0.75,
      warmth: 0,
      num_images: 1,
      sharpen: false,
    });
  });

  it('sends a picked gallery image as it is', () => {
    expect(fieldsToInput(fields, { image: { asset_id: 'ast_1' } })).toEqual({ image: { asset_id: 'ast_1' } });
  });
});

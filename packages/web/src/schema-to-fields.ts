import type { JsonSchema } from '@darkroom/client';

export type { JsonSchema };

/**
 * How one input is edited: an image (file drop or gallery pick), a list of images (files dropped or
 * picked one after another), a mask painted over the image, a select (enums and unions of constants), a slider (a bounded number whose range is at most 10 000
 * steps), a number box (other numbers), a checkbox, a one-line text box (short strings and URLs), a
 * text area (other strings that may be longer than 200 characters), a group (an object: its own
 * fields), a list (an array of anything else but images and enums: items added and removed, each
 * edited as `item`), or choices (an array of enum values: a checkbox per value).
 */
export type FieldKind = 'image' | 'images' | 'mask' | 'select' | 'slider' | 'number' | 'checkbox' | 'text' | 'textarea' | 'group' | 'list' | 'choices';

/** One form control generated from one property of a feature's input schema. */
export interface FormField {
  name: string;
  /** `num_images` → `Num images`. */
  label: string;
  kind: FieldKind;
  description?: string;
  required: boolean;
  /** The schema's default, shown as the control's initial value. */
  default?: unknown;
  /** For selects: the values (strings or numbers) in schema order. */
  options?: unknown[];
  min?: number;
  max?: number;
  /** Slider and number step: 1 for integers; about a hundredth of the range otherwise. */
  step?: number;
  pattern?: string;
  maxLength?: number;
  /** For groups: the object's fields, by the same rules. */
  fields?: FormField[];
  /** For lists: how each item is edited (named `item`, labelled by the items' `title` or `Item`). */
  item?: FormField;
  /** For lists and choices: how few and how many items the array takes. */
  minItems?: number;
  maxItems?: number;
  /** Optional inputs without a default (provider, model, seed, sizes…): shown under "More options". */
  advanced: boolean;
}

/** An image a form holds: a chosen file's data URI, or a gallery pick's `{asset_id}`. */
export type ImageValue = string | { asset_id: string };

/** The values of a form or of a group, by field name. */
export interface FieldValues {
  [name: string]: FieldValue;
}

/**
 * The value a form control holds: text, a number, a checkbox state, an image, a list (of images, of
 * items or of chosen values), or a group's values.
 */
export type FieldValue = string | number | boolean | { asset_id: string } | FieldValue[] | FieldValues | undefined;

const labelOf = (name: string) => (name.charAt(0).toUpperCase() + name.slice(1)).replace(/_/g, ' ');
const typesOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

function stepFor(min: number, max: number, integer: boolean): number {
  if (integer) return 1;
  const range = max - min;
  return range > 0 ? 10 ** Math.floor(Math.log10(range / 100)) : 0.01;
}

const choicesOf = (schema: JsonSchema) => {
  const choices = schema.enum ?? (schema.anyOf ?? schema.oneOf)?.map((option) => option.const);
  return choices?.length && choices.every((choice) => typeof choice === 'string' || typeof choice === 'number') ? choices : undefined;
};

function fieldOf(name: string, schema: JsonSchema, required: boolean, imageFields: readonly string[]): FormField {
  const base = {
    name,
    label: labelOf(name),
    required,
    ...(schema.description ? { description: schema.description } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
  };
  const advanced = !required && schema.default === undefined;
  if (imageFields.includes(name)) return { ...base, kind: typesOf(schema).includes('array') ? 'images' : name === 'mask' ? 'mask' : 'image', advanced: false };
  const choices = choicesOf(schema);
  if (choices) return { ...base, kind: 'select', options: choices, advanced };
  const types = typesOf(schema);
  if (types.includes('array')) {
    const items = (schema.items ?? {}) as JsonSchema;
    const counts = { ...(typeof schema.minItems === 'number' ? { minItems: schema.minItems } : {}), ...(typeof schema.maxItems === 'number' ? { maxItems: schema.maxItems } : {}) };
    const options = choicesOf(items);
    if (options) return { ...base, ...counts, kind: 'choices', options, advanced };
    const item = { ...fieldOf('item', items, false, []), label: typeof items.title === 'string' ? items.title : 'Item' };
    return { ...base, ...counts, kind: 'list', item, advanced };
  }
  if (types.includes('object') || schema.properties) return { ...base, kind: 'group', fields: schemaToFields(schema), advanced };
  if (types.includes('boolean')) return { ...base, kind: 'checkbox', advanced };
  if (types.includes('integer') || types.includes('number')) {
    const integer = !types.includes('number');
    const min = schema.minimum ?? schema.exclusiveMinimum;
    const max = schema.maximum ?? schema.exclusiveMaximum;
    const bounds = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    if (min !== undefined && max !== undefined) {
      const step = stepFor(min, max, integer);
      return { ...base, ...bounds, step, kind: (max - min) / step <= 10_000 ? 'slider' : 'number', advanced };
    }
    return { ...base, ...bounds, ...(integer ? { step: 1 } : {}), kind: 'number', advanced };
  }
  const text = { ...(schema.pattern ? { pattern: schema.pattern } : {}), ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}) };
  return { ...base, ...text, kind: (schema.maxLength ?? 0) > 200 && schema.format !== 'uri' ? 'textarea' : 'text', advanced };
}

/**
 * The form controls for a feature's input JSON Schema (an object schema), in property order. Fields
 * named in `imageFields` (the feature's `image_fields`, whatever their names) become image pickers
 * (an array: a list of them; `mask`: a mask painter over the image). An object property becomes a
 * group of its own fields and an array a list of items (or, of enum values, a set of choices), drawn
 * by the same rules. Properties the schema does not describe as an object's are ignored; a schema
 * without properties gives no fields.
 *
 * @example
 * schemaToFields({ type: 'object', properties: { image: {}, scale: { anyOf: [{ const: 2 }, { const: 4 }], default: 2 } }, required: ['image'] }, ['image']);
 * // [{ name: 'image', kind: 'image', required: true, … }, { name: 'scale', kind: 'select', options: [2, 4], default: 2, … }]
 */
export function schemaToFields(schema: JsonSchema, imageFields: readonly string[] = []): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => fieldOf(name, property, required.has(name), imageFields));
}

/** A field's initial value: its default, else nothing (a checkbox starts unchecked; a group, with its fields' initial values). */
export function initialValue(field: FormField): FieldValue {
  if (field.default !== undefined) return field.default as FieldValue;
  if (field.kind === 'checkbox') return false;
  return field.kind === 'group' ? initialValues(field.fields ?? []) : undefined;
}

/** Each field's initial value (see initialValue), by name. */
export function initialValues(fields: readonly FormField[]): FieldValues {
  return Object.fromEntries(fields.map((field) => [field.name, initialValue(field)]));
}

/**
 * What a field's value sends, or undefined to leave it out: numbers as numbers, select values in
 * their schema type, a group's fields by the same rules (an optional group left empty is left out),
 * a list's items by its item's rules (an item left empty is dropped). Empty optional fields and unchanged
 * unchecked checkboxes without a default are left out, so the server applies its defaults.
 */
function inputOf(field: FormField, value: FieldValue): unknown {
  if (value === undefined || value === '') return undefined;
  switch (field.kind) {
    case 'checkbox':
      return value === false && field.default === undefined && !field.required ? undefined : value;
    case 'slider':
    case 'number':
      return Number(value);
    case 'select':
      return field.options?.find((option) => String(option) === String(value)) ?? value;
    case 'group': {
      const input = fieldsToInput(field.fields ?? [], typeof value === 'object' && !Array.isArray(value) ? (value as FieldValues) : {});
      return Object.keys(input).length > 0 || field.required ? input : undefined;
    }
    case 'list': {
      const items = (Array.isArray(value) ? value : []).map((item) => inputOf(field.item!, item)).filter((item) => item !== undefined);
      return items.length > 0 || field.required ? items : undefined;
    }
    default:
      return Array.isArray(value) && value.length === 0 && !field.required ? undefined : value;
  }
}

/** The request body for a form's values (see inputOf for each field's). */
export function fieldsToInput(fields: readonly FormField[], values: FieldValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = inputOf(field, values[field.name]);
    if (value !== undefined) input[field.name] = value;
  }
  return input;
}

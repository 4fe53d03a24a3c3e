import type { JsonSchema } from '@darkroom/client';

export type { JsonSchema };

/**
 * How one input is edited: an image (file drop or gallery pick), a list of images (files dropped or
 * picked one after another), a mask painted over the image, a select (enums and unions of constants), a slider (a bounded number whose range is at most 10 000
 * steps), a number box (other numbers), a checkbox, a one-line text box (short strings and URLs), or a
 * text area (other strings that may be longer than 200 characters).
 */
export type FieldKind = 'image' | 'images' | 'mask' | 'select' | 'slider' | 'number' | 'checkbox' | 'text' | 'textarea';

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
  /** Optional inputs without a default (provider, model, seed, sizes…): shown under "More options". */
  advanced: boolean;
}

/** An image a form holds: a chosen file's data URI, or a gallery pick's `{asset_id}`. */
export type ImageValue = string | { asset_id: string };

/** The value a form control holds: text, a number, a checkbox state, an image, or a list of images. */
export type FieldValue = string | number | boolean | { asset_id: string } | ImageValue[] | undefined;

const labelOf = (name: string) => (name.charAt(0).toUpperCase() + name.slice(1)).replace(/_/g, ' ');
const typesOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

function stepFor(min: number, max: number, integer: boolean): number {
  if (integer) return 1;
  const range = max - min;
  return range > 0 ? 10 ** Math.floor(Math.log10(range / 100)) : 0.01;
}

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
  const choices = schema.enum ?? (schema.anyOf ?? schema.oneOf)?.map((option) => option.const);
  if (choices?.length && choices.every((choice) => typeof choice === 'string' || typeof choice === 'number')) {
    return { ...base, kind: 'select', options: choices, advanced };
  }
  const types = typesOf(schema);
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
 * (an array: a list of them; `mask`: a mask painter over the image). Properties the schema does
 * not describe as an object's are ignored; a schema without properties gives no fields.
 *
 * @example
 * schemaToFields({ type: 'object', properties: { image: {}, scale: { anyOf: [{ const: 2 }, { const: 4 }], default: 2 } }, required: ['image'] }, ['image']);
 * // [{ name: 'image', kind: 'image', required: true, … }, { name: 'scale', kind: 'select', options: [2, 4], default: 2, … }]
 */
export function schemaToFields(schema: JsonSchema, imageFields: readonly string[] = []): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => fieldOf(name, property, required.has(name), imageFields));
}

/** Each field's initial value: its default, else nothing (a checkbox starts unchecked). */
export function initialValues(fields: readonly FormField[]): Record<string, FieldValue> {
  return Object.fromEntries(fields.map((field) => [field.name, (field.default as FieldValue) ?? (field.kind === 'checkbox' ? false : undefined)]));
}

/**
 * The request body for a form's values: numbers as numbers, select values in their schema type, and
 * optional fields left empty (or unchanged unchecked checkboxes without a default) left out, so the
 * server applies its defaults.
 */
export function fieldsToInput(fields: readonly FormField[], values: Record<string, FieldValue>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    if (field.kind === 'checkbox' && value === false && field.default === undefined && !field.required) continue;
    if (field.kind === 'slider' || field.kind === 'number') input[field.name] = Number(value);
    else if (field.kind === 'select') input[field.name] = field.options?.find((option) => String(option) === String(value)) ?? value;
    else input[field.name] = value;
  }
  return input;
}

import { DarkroomError } from '@darkroom/core';
import { parseStudioImage } from './parse-studio-image.js';
import type { JsonSchema, StudioFeature } from './studio.js';
import { isImageList } from './to-studio-feature.js';

/** The JSON types a schema node accepts (`type`, `enum`/`const` values, `anyOf`/`oneOf` branches). */
function acceptedTypes(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const add = (node: JsonSchema) => {
    if (typeof node.type === 'string') types.add(node.type);
    if (Array.isArray(node.type)) node.type.forEach((type) => types.add(type));
    for (const value of [...(node.enum ?? []), ...('const' in node ? [node.const] : [])]) types.add(value === null ? 'null' : typeof value);
    for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) add(branch);
  };
  add(schema);
  return types;
}

/** Values an enum-like schema allows (`enum`, `const`, and their unions), or undefined when it is open. */
function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if ('const' in schema) return [schema.const];
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return undefined;
  const values = branches.map(allowedValues);
  return values.every(Boolean) ? values.flat() : undefined;
}

/**
 * One option as `darkroom features` and refusals show it: `--scale <2|4> (default 2)`, then its description.
 *
 * @example
 * describeOption('scale', { anyOf: [{ const: 2 }, { const: 4 }], default: 2 }); // '--scale <2|4>  (default 2)'
 */
export function describeOption(name: string, schema: JsonSchema, options: { image?: boolean } = {}): string {
  const values = allowedValues(schema);
  const types = acceptedTypes(schema);
  const placeholder = options.image ? `<file|url|asset-id>${schema.type === 'array' ? ' (repeat for more)' : ''}` : values ? `<${values.map(String).join('|')}>` : types.has('boolean') && types.size === 1 ? '' : types.has('integer') || types.has('number') ? '<number>' : types.has('object') || types.has('array') ? '<json>' : '<text>';
  const range = schema.minimum !== undefined || schema.maximum !== undefined ? ` ${schema.minimum ?? ''}..${schema.maximum ?? ''}` : '';
  const fallback = schema.default !== undefined ? ` (default ${JSON.stringify(schema.default)})` : '';
  return `--${name.replaceAll('_', '-')}${placeholder ? ` ${placeholder}` : ''}${range}${fallback}`;
}

/** `value` (as typed on the command line) as the field's schema takes it: a number, a boolean, JSON, or the text. */
function coerce(name: string, text: string, schema: JsonSchema): unknown {
  const types = acceptedTypes(schema);
  if ((types.has('number') || types.has('integer')) && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text.trim())) return Number(text);
  if (types.has('boolean') && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
  if ((types.has('object') || types.has('array')) && !types.has('string')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new DarkroomError({ code: 'invalid_input', message: `--${name.replaceAll('_', '-')}: expected JSON, got ${JSON.stringify(text)}`, details: { field: name } });
    }
  }
  return text;
}

/**
 * A feature's input from command-line words: `--name value`, `--name=value`, a boolean field's
 * `--name` alone (true) or `--no-name` (false); `--some-field` names `some_field`. Values take the
 * field's type from the feature's schema (numbers, booleans, JSON for objects); image fields (any
 * name) go through `parseStudioImage`, and a list image field takes its option once per image
 * (`--references a.png --references b.png`). Words that are no option's value are answered as
 * `positionals`. The feature's schema validates the input when it runs.
 *
 * @throws DarkroomError `invalid_input` for an option the feature does not have (listing the ones it
 * has), an option given twice (but a list image field's), or a value missing after an option that
 * needs one.
 * @example
 * parseFeatureOptions(upscale, ['photo.png', '--scale', '4', '--sharpen']); // { input: { scale: 4, sharpen: true }, positionals: ['photo.png'] }
 */
export function parseFeatureOptions(feature: StudioFeature, words: string[], cwd = process.cwd()): { input: Record<string, unknown>; positionals: string[] } {
  const properties = feature.input_schema.properties ?? {};
  const input: Record<string, unknown> = {};
  const positionals: string[] = [];
  const fieldOf = (option: string) => {
    const name = option.replaceAll('-', '_');
    return name in properties ? name : option in properties ? option : undefined;
  };
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    const option = /^--([^=]+)(?:=(.*))?$/s.exec(word);
    if (!option) {
      positionals.push(word);
      continue;
    }
    let field = fieldOf(option[1]!);
    let value: unknown = option[2];
    if (!field && option[1]!.startsWith('no-') && value === undefined) {
      field = fieldOf(option[1]!.slice(3));
      if (field && acceptedTypes(properties[field]!).has('boolean')) value = false;
      else field = undefined;
    }
    if (!field) throw refusal(feature, `${feature.id} has no option --${option[1]}`);
    // One value per option, as over HTTP (a list of images excepted): which of two was meant is not ours to guess.
    const list = isImageList(feature, field);
    if (Object.hasOwn(input, field) && !list) throw refusal(feature, `--${option[1]} is given twice: give it once`);
    const schema = properties[field]!;
    if (value === undefined) {
      const next = words[index + 1];
      const flag = acceptedTypes(schema).has('boolean') && (next === undefined || next.startsWith('--') || !/^(true|false)$/i.test(next));
      if (flag) value = true;
      else if (next === undefined || next.startsWith('--')) throw refusal(feature, `--${option[1]} needs a value: ${describeOption(field, schema, { image: feature.image_fields.includes(field) })}`);
      else {
        value = next;
        index += 1;
      }
    }
    if (list) input[field] = [...((input[field] as unknown[] | undefined) ?? []), parseStudioImage(String(value), field, cwd)];
    else input[field] = typeof value !== 'string' ? value : feature.image_fields.includes(field) ? parseStudioImage(value, field, cwd) : coerce(field, value, schema);
  }
  return { input, positionals };
}

/** The options a feature takes, one per line (image fields included). */
export function featureOptionLines(feature: StudioFeature): string[] {
  const properties = feature.input_schema.properties ?? {};
  const required = new Set(feature.input_schema.required ?? []);
  return Object.entries(properties).map(([name, schema]) => {
    const usage = describeOption(name, schema, { image: feature.image_fields.includes(name) });
    return `${usage}${required.has(name) ? '  (required)' : ''}${schema.description ? `\n      ${schema.description}` : ''}`;
  });
}

const refusal = (feature: StudioFeature, problem: string) =>
  new DarkroomError({
    code: 'invalid_input',
    message: `${problem}. ${feature.id}'s options: ${Object.keys(feature.input_schema.properties ?? {}).map((name) => `--${name.replaceAll('_', '-')}`).join(', ')} (darkroom features ${feature.id} describes them)`,
    details: { feature: feature.id, options: Object.keys(feature.input_schema.properties ?? {}) },
  });

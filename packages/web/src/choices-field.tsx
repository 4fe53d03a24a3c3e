import { FieldLabel, type FieldControlProps } from './field-control.js';
import type { FieldValue } from './schema-to-fields.js';

/**
 * An array of enum values: a checkbox per value, the chosen ones sent in the schema's order and
 * type; once `maxItems` are chosen the others are disabled.
 */
export function ChoicesField({ id, field, value, onChange }: FieldControlProps) {
  const chosen: unknown[] = Array.isArray(value) ? value : [];
  const options = field.options!;
  const full = field.maxItems !== undefined && chosen.length >= field.maxItems;
  const toggle = (option: unknown, on: boolean) => onChange(options.filter((other) => (other === option ? on : chosen.includes(other))) as FieldValue[]);
  return (
    <fieldset id={id} class="field choices" {...(field.description ? { 'aria-describedby': `${id}-help` } : {})}>
      <legend><FieldLabel field={field} /></legend>
      <div class="choice-options">
        {options.map((option, index) => {
          const on = chosen.includes(option);
          return (
            <label key={String(option)} class="inline">
              <input id={`${id}-${index}`} type="checkbox" checked={on} disabled={!on && full} onChange={(event) => toggle(option, event.currentTarget.checked)} />
              {String(option)}
            </label>
          );
        })}
      </div>
      {field.description && <small id={`${id}-help`}>{field.description}</small>}
    </fieldset>
  );
}

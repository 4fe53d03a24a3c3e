import { FieldControl, FieldLabel, type FieldControlProps } from './field-control.js';
import type { FieldValues } from './schema-to-fields.js';

/**
 * An object field: a fieldset of its own fields (each drawn by FieldControl, ids under the group's),
 * whose value is their values by name.
 */
export function GroupField({ id, field, value, onChange }: FieldControlProps) {
  const values: FieldValues = value && typeof value === 'object' && !Array.isArray(value) ? (value as FieldValues) : {};
  return (
    <fieldset id={id} class="field group" {...(field.description ? { 'aria-describedby': `${id}-help` } : {})}>
      <legend><FieldLabel field={field} /></legend>
      {field.description && <small id={`${id}-help`}>{field.description}</small>}
      <div class="group-fields">
        {field.fields!.map((inner) => (
          <FieldControl key={inner.name} id={`${id}-${inner.name}`} field={inner} value={values[inner.name]} onChange={(changed) => onChange({ ...values, [inner.name]: changed })} />
        ))}
      </div>
    </fieldset>
  );
}

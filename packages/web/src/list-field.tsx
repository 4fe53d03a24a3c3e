import { FieldControl, FieldLabel, type FieldControlProps } from './field-control.js';
import { initialValue, type FieldValue } from './schema-to-fields.js';

/**
 * An array field: a fieldset of items, each drawn by FieldControl as the field's `item` (labelled
 * "Item 1", "Item 2"… or by the items' title) with a button that removes it, and a button that adds
 * one (starting from the item's defaults) until `maxItems`; removing stops at `minItems`.
 */
export function ListField({ id, field, value, onChange }: FieldControlProps) {
  const items: FieldValue[] = Array.isArray(value) ? value : [];
  const item = field.item!;
  const full = field.maxItems !== undefined && items.length >= field.maxItems;
  const replace = (index: number, changed: FieldValue) => onChange(items.map((current, other) => (other === index ? changed : current)));
  return (
    <fieldset id={id} class="field list" {...(field.description ? { 'aria-describedby': `${id}-help` } : {})}>
      <legend><FieldLabel field={field} /></legend>
      {field.description && <small id={`${id}-help`}>{field.description}</small>}
      {items.length > 0 && (
        <ol class="list-items">
          {items.map((current, index) => (
            <li key={index}>
              <FieldControl id={`${id}-${index}`} field={{ ...item, label: `${item.label} ${index + 1}` }} value={current} onChange={(changed) => replace(index, changed)} />
              <button type="button" class="quiet" aria-label={`Remove ${item.label.toLowerCase()} ${index + 1} from ${field.label}`} disabled={items.length <= (field.minItems ?? 0)} onClick={() => onChange(items.filter((_, other) => other !== index))}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <div class="actions">
        <button type="button" aria-label={`Add ${item.label.toLowerCase()} to ${field.label}`} disabled={full} onClick={() => onChange([...items, initialValue(item)])}>
          Add {item.label.toLowerCase()}
        </button>
        <span class="hint" role="status">{items.length === 0 ? 'None' : items.length}{field.maxItems !== undefined && ` of at most ${field.maxItems}`}</span>
      </div>
    </fieldset>
  );
}

import { ChoicesField } from './choices-field.js';
import { GroupField } from './group-field.js';
import { ImageField } from './image-field.js';
import { ImageListField } from './image-list-field.js';
import { ListField } from './list-field.js';
import { MaskPainter } from './mask-painter.js';
import type { FieldValue, FormField } from './schema-to-fields.js';

/** The props of every field control: its element id (nested fields extend their parent's), field, value and change handler. */
export interface FieldControlProps {
  id: string;
  field: FormField;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
}

/** A field's default as its label shows it: scalars only (a list's or group's default shows as its initial items). */
const shownDefault = (value: unknown) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && value !== '' ? String(value) : undefined;

/** A field's label: its name, a star when required and its default when it has one. */
export function FieldLabel({ field }: { field: FormField }) {
  const fallback = shownDefault(field.default);
  return (
    <>
      {field.label}
      {field.required && <span class="required" aria-hidden="true"> *</span>}
      {fallback !== undefined && <span class="default"> (default {fallback})</span>}
    </>
  );
}

/**
 * The control for one field of a feature's form, by its kind (see FieldKind): labelled, its
 * description tied to it by `aria-describedby`. `image` is the form's image, under which a mask is painted.
 */
export function FieldControl({ id, field, value, onChange, image }: FieldControlProps & { image?: FieldValue }) {
  const label = <label for={id}><FieldLabel field={field} /></label>;
  const help = field.description && <small id={`${id}-help`}>{field.description}</small>;
  const described = field.description ? { 'aria-describedby': `${id}-help` } : {};
  switch (field.kind) {
    case 'image':
      return <ImageField id={id} field={field} value={value} onChange={onChange} />;
    case 'images':
      return <ImageListField id={id} field={field} value={value} onChange={onChange} />;
    case 'mask':
      return <MaskPainter id={id} field={field} image={image} value={value} onChange={onChange} />;
    case 'group':
      return <GroupField id={id} field={field} value={value} onChange={onChange} />;
    case 'list':
      return <ListField id={id} field={field} value={value} onChange={onChange} />;
    case 'choices':
      return <ChoicesField id={id} field={field} value={value} onChange={onChange} />;
    case 'select': {
      const optional = !field.required && field.default === undefined;
      return (
        <div class="field">
          {label}
          <select id={id} {...described} required={field.required} value={value === undefined ? '' : String(value)} onChange={(event) => onChange(event.currentTarget.value || undefined)}>
            {optional && <option value="">(server's choice)</option>}
            {field.required && field.default === undefined && <option value="" disabled>Choose…</option>}
            {field.options!.map((option) => <option key={String(option)} value={String(option)}>{String(option)}</option>)}
          </select>
          {help}
        </div>
      );
    }
    case 'slider':
      return (
        <div class="field">
          {label}
          <div class="slider">
            <input id={id} {...described} type="range" min={field.min} max={field.max} step={field.step} value={value === undefined ? (field.min ?? 0) : Number(value)} onInput={(event) => onChange(Number(event.currentTarget.value))} />
            <output for={id}>{value === undefined ? '—' : String(value)}</output>
          </div>
          {help}
        </div>
      );
    case 'number':
      return (
        <div class="field">
          {label}
          <input id={id} {...described} type="number" min={field.min} max={field.max} step={field.step ?? 'any'} required={field.required} value={value === undefined ? '' : String(value)} onInput={(event) => onChange(event.currentTarget.value)} />
          {help}
        </div>
      );
    case 'checkbox':
      return (
        <div class="field checkbox">
          <input id={id} {...described} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />
          {label}
          {help}
        </div>
      );
    case 'textarea':
    case 'text': {
      const common = { id, ...described, required: field.required, value: typeof value === 'string' ? value : '', maxLength: field.maxLength, onInput: (event: { currentTarget: { value: string } }) => onChange(event.currentTarget.value) };
      return (
        <div class="field">
          {label}
          {field.kind === 'textarea' ? <textarea rows={3} {...common} /> : <input type="text" {...common} {...(field.pattern ? { pattern: field.pattern } : {})} />}
          {help}
        </div>
      );
    }
  }
}

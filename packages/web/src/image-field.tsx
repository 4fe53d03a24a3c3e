import { useState } from 'preact/hooks';
import { GalleryPicker } from './gallery-picker.js';
import { ImageDropZone } from './image-drop-zone.js';
import { readFileAsDataUri } from './read-file.js';
import type { FieldValue, FormField } from './schema-to-fields.js';
import { StoredImage } from './stored-image.js';
import type { ImageRef } from './use-image-source.js';

/** What shows an image field's value: a chosen file's data URI as it is, a gallery pick by its asset id (nothing for a list). */
export function imageRefOf(value: FieldValue): ImageRef | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.asset_id === 'string') return { assetId: value.asset_id };
  return undefined;
}

/** An image input: a file dropped or chosen (sent as a data URI), or an image picked from the gallery (`{asset_id}`). */
export function ImageField({ id, field, value, onChange }: { id: string; field: FormField; value: FieldValue; onChange: (value: FieldValue) => void }) {
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const take = async (file: File | undefined) => {
    if (!file) return;
    if (!file.type.startsWith('image/')) return setError(`${file.name} is not an image`);
    setError(undefined);
    onChange(await readFileAsDataUri(file));
  };
  const image = imageRefOf(value);
  return (
    <div class="field">
      <span class="label" id={`${id}-label`}>{field.label}{field.required && <span class="required" aria-hidden="true"> *</span>}</span>
      <ImageDropZone onFiles={(files) => void take(files?.[0])}>
        {image ? <StoredImage image={image} alt={`Chosen ${field.label.toLowerCase()}`} class="preview" /> : <p class="hint">Drop an image here</p>}
        <div class="actions">
          <label class="button quiet file-button">
            Choose a file
            <input id={id} type="file" accept="image/*" class="visually-hidden" aria-labelledby={`${id}-label`} onChange={(event) => void take(event.currentTarget.files?.[0])} />
          </label>
          <button type="button" class="quiet" onClick={() => setPicking(true)}>Pick from gallery</button>
          {value !== undefined && <button type="button" class="quiet" onClick={() => onChange(undefined)}>Clear</button>}
        </div>
      </ImageDropZone>
      {error && <p class="error" role="alert">{error}</p>}
      {picking && (
        <GalleryPicker
          onPick={(assetId) => {
            setPicking(false);
            onChange({ asset_id: assetId });
          }}
          onClose={() => setPicking(false)}
        />
      )}
    </div>
  );
}

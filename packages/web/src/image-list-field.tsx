import { useState } from 'preact/hooks';
import { GalleryPicker } from './gallery-picker.js';
import { ImageDropZone } from './image-drop-zone.js';
import { imageRefOf } from './image-field.js';
import { readFileAsDataUri } from './read-file.js';
import type { FieldValue, FormField, ImageValue } from './schema-to-fields.js';
import { StoredImage } from './stored-image.js';

/**
 * A list image input (a field whose schema is an array of images): files dropped or chosen (several at
 * once, each sent as a data URI) and gallery picks (`{asset_id}`) add to the list; each can be removed.
 */
export function ImageListField({ id, field, value, onChange }: { id: string; field: FormField; value: FieldValue; onChange: (value: FieldValue) => void }) {
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const images = Array.isArray(value) ? (value as ImageValue[]) : [];
  const add = async (files: FileList | null | undefined) => {
    const chosen = [...(files ?? [])];
    const other = chosen.find((file) => !file.type.startsWith('image/'));
    if (other) return setError(`${other.name} is not an image`);
    setError(undefined);
    onChange([...images, ...(await Promise.all(chosen.map(readFileAsDataUri)))]);
  };
  return (
    <div class="field">
      <span class="label" id={`${id}-label`}>{field.label}{field.required && <span class="required" aria-hidden="true"> *</span>}</span>
      <ImageDropZone onFiles={(files) => void add(files)}>
        {images.length === 0 ? (
          <p class="hint">Drop images here</p>
        ) : (
          <ul class="thumbs image-list">
            {images.map((image, index) => (
              <li key={index}>
                <StoredImage image={imageRefOf(image)!} alt={`${field.label} ${index + 1}`} class="preview" />
                <button type="button" class="quiet" onClick={() => onChange(images.filter((_, other) => other !== index))}>Remove</button>
              </li>
            ))}
          </ul>
        )}
        <div class="actions">
          <label class="button quiet file-button">
            Add files
            <input id={id} type="file" accept="image/*" multiple class="visually-hidden" aria-labelledby={`${id}-label`} onChange={(event) => void add(event.currentTarget.files)} />
          </label>
          <button type="button" class="quiet" onClick={() => setPicking(true)}>Add from gallery</button>
          {images.length > 0 && <button type="button" class="quiet" onClick={() => onChange(undefined)}>Clear</button>}
        </div>
      </ImageDropZone>
      {field.description && <small>{field.description}</small>}
      {error && <p class="error" role="alert">{error}</p>}
      {picking && (
        <GalleryPicker
          onPick={(assetId) => {
            setPicking(false);
            onChange([...images, { asset_id: assetId }]);
          }}
          onClose={() => setPicking(false)}
        />
      )}
    </div>
  );
}

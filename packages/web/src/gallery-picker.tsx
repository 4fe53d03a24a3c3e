import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from './api-context.js';
import type { GalleryItem } from '@darkroom/client';
import { describeError } from './describe-error.js';
import { StoredImage } from './stored-image.js';

/** A modal list of the gallery's newest images; choosing one answers its asset id. */
export function GalleryPicker({ onPick, onClose }: { onPick: (assetId: string) => void; onClose: () => void }) {
  const api = useApi();
  const [items, setItems] = useState<GalleryItem[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
    api
      .call((client) => client.gallery.list({ limit: 48 }))
      .then((page) => setItems(page.items))
      .catch((failure) => setError(describeError(failure)));
  }, [api]);
  return (
    <dialog ref={dialog} class="picker" aria-labelledby="picker-title" onClose={onClose}>
      <h2 id="picker-title">Pick an image from the gallery</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {items?.length === 0 && <p class="hint">The gallery is empty: run a feature or chat first.</p>}
      <ul class="thumbs">
        {items?.map((item) => (
          <li key={item.id}>
            <button type="button" class="thumb" onClick={() => onPick(item.asset_id)} aria-label={`${item.feature ?? 'image'} from ${new Date(item.created_at).toLocaleString()}`}>
              <StoredImage image={{ assetId: item.asset_id }} alt="" />
            </button>
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" onClick={() => dialog.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}

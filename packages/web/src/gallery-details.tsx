import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from './api-context.js';
import type { GalleryItem } from '@darkroom/client';
import { describeError } from './describe-error.js';
import { DownloadLink } from './download-link.js';
import { StoredImage } from './stored-image.js';

/** One gallery image in a dialog: how it was made (provider, model, seed, parameters, source) and delete / restore / delete for good. */
export function GalleryDetails({ item, onClose, onChanged }: { item: GalleryItem; onClose: () => void; onChanged: () => void }) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => dialog.current?.showModal(), []);
  const act = (work: () => Promise<unknown>) => async () => {
    setError(undefined);
    try {
      await work();
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const { source, ...parameters } = item.metadata;
  const rows: Array<[string, unknown]> = [
    ['Feature', item.feature],
    ['Intent', item.intent],
    ['Source', source],
    ['Provider', item.provider],
    ['Model', item.model],
    ['Seed', item.seed],
    ['Prompt', item.refined_prompt],
    ['Created', new Date(item.created_at).toLocaleString()],
    ...(item.deleted_at ? [['Deleted', new Date(item.deleted_at).toLocaleString()] as [string, unknown]] : []),
  ];
  return (
    <dialog ref={dialog} class="details-dialog" aria-labelledby="details-title" onClose={onClose}>
      <h2 id="details-title">{item.feature ?? 'Image'} <small>{item.id}</small></h2>
      <div class="details-body">
        <StoredImage image={{ assetId: item.asset_id }} alt={`${item.feature ?? 'Gallery image'}`} class="details-image" />
        <div>
          <dl class="details">
            {rows.filter(([, value]) => value !== null && value !== undefined && value !== '').map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{String(value)}</dd>
              </Fragment>
            ))}
          </dl>
          {Object.keys(parameters).length > 0 && (
            <details open>
              <summary>Parameters</summary>
              <pre>{JSON.stringify(parameters, null, 2)}</pre>
            </details>
          )}
        </div>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        {item.deleted_at ? (
          <>
            <button type="button" onClick={act(() => api.call((client) => client.gallery.restore(item.id)))}>Restore</button>
            {confirming ? (
              <button type="button" class="danger" onClick={act(() => api.call((client) => client.gallery.deletePermanently(item.id)))}>Yes, delete for good</button>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete permanently…</button>
            )}
          </>
        ) : (
          <button type="button" class="danger" onClick={act(() => api.call((client) => client.gallery.delete(item.id)))}>Delete</button>
        )}
        <DownloadLink image={{ assetId: item.asset_id }} filename={`${item.feature ?? 'image'}-${item.id}`} />
        <button type="button" onClick={() => dialog.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}

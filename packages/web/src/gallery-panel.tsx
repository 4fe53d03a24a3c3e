import { useEffect, useState } from 'preact/hooks';
import { useApi } from './api-context.js';
import type { GalleryItem, GalleryQuery } from '@darkroom/client';
import { describeError } from './describe-error.js';
import { GalleryDetails } from './gallery-details.js';
import { StoredImage } from './stored-image.js';

/**
 * The gallery both flows feed: thumbnails newest first, filters (intent, source, this chat's session),
 * the deleted images (restore or delete for good), and each image's details.
 */
export function GalleryPanel({ version, sessionId, onChange }: { version: number; sessionId: string | undefined; onChange: () => void }) {
  const api = useApi();
  const [deleted, setDeleted] = useState(false);
  const [intent, setIntent] = useState('');
  const [source, setSource] = useState<'' | 'chat' | 'direct'>('');
  const [thisChat, setThisChat] = useState(false);
  const [items, setItems] = useState<GalleryItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<GalleryItem | undefined>();

  const query = (after?: string): GalleryQuery => ({
    limit: 24,
    ...(after ? { cursor: after } : {}),
    ...(intent.trim() ? { intent: intent.trim() } : {}),
    ...(source ? { source } : {}),
    ...(thisChat && sessionId ? { session_id: sessionId } : {}),
  });
  async function load(after?: string) {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api.call((client) => (deleted ? client.gallery.listDeleted(query(after)) : client.gallery.list(query(after))));
      setItems((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => void load(), [version, deleted, source, thisChat, sessionId, api]);

  return (
    <div class="gallery">
      <div class="panel-head">
        <h2>Gallery</h2>
        <div class="segmented" role="group" aria-label="Which images">
          <button type="button" aria-pressed={!deleted} onClick={() => setDeleted(false)}>Images</button>
          <button type="button" aria-pressed={deleted} onClick={() => setDeleted(true)}>Deleted</button>
        </div>
      </div>
      <form class="filters" onSubmit={(event) => { event.preventDefault(); void load(); }}>
        <label>Intent<input type="search" value={intent} placeholder="e.g. upscale" onInput={(event) => setIntent(event.currentTarget.value)} /></label>
        <label>
          Source
          <select value={source} onChange={(event) => setSource(event.currentTarget.value as '' | 'chat' | 'direct')}>
            <option value="">All</option>
            <option value="chat">Chat</option>
            <option value="direct">Direct (features)</option>
          </select>
        </label>
        <label class="inline"><input type="checkbox" checked={thisChat} disabled={!sessionId} onChange={(event) => setThisChat(event.currentTarget.checked)} /> This chat only</label>
        <button type="submit" class="quiet">Filter</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!loading && items.length === 0 && !error && <p class="hint">{deleted ? 'Nothing deleted.' : 'No images yet: run a feature or ask in the chat.'}</p>}
      <ul class="thumbs" aria-label={deleted ? 'Deleted images' : 'Images'}>
        {items.map((item) => (
          <li key={item.id} data-gallery-id={item.id}>
            <button type="button" class="thumb" onClick={() => setOpen(item)} aria-label={`${item.feature ?? 'image'}, ${item.metadata.source}, ${new Date(item.created_at).toLocaleString()}`}>
              <StoredImage image={{ assetId: item.asset_id }} alt="" />
              <span class="thumb-label">{item.feature ?? item.intent ?? 'image'}</span>
            </button>
          </li>
        ))}
      </ul>
      {cursor && <button type="button" class="quiet more" disabled={loading} onClick={() => void load(cursor)}>Load more</button>}
      {open && (
        <GalleryDetails
          item={open}
          onClose={() => setOpen(undefined)}
          onChanged={() => {
            setOpen(undefined);
            onChange();
          }}
        />
      )}
    </div>
  );
}

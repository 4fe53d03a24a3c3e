import { useEffect, useRef, useState } from 'preact/hooks';
import type { KeyRequest } from './api-session.js';
import { useApi } from './api-context.js';

/** Asks for an API key when the server answered 401; the key is kept for this tab only. */
export function ApiKeyDialog() {
  const api = useApi();
  const [request, setRequest] = useState<KeyRequest | undefined>();
  const [key, setKey] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => api.onKeyRequest(setRequest), [api]);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) element.showModal();
    if (!request && element.open) element.close();
  }, [request]);
  return (
    <dialog ref={dialog} class="key-dialog" aria-labelledby="key-title" onCancel={(event) => event.preventDefault()}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (!key.trim()) return;
          api.useKey(key);
          setKey('');
        }}
      >
        <h2 id="key-title">API key needed</h2>
        <p>{request?.hadKey ? 'The server refused the key: ' : 'This server needs an API key: '}{request?.reason}</p>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" required value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        <p class="hint">Kept for this browser tab only (sessionStorage).</p>
        <div class="actions">
          <button type="submit" class="primary">Use this key</button>
        </div>
      </form>
    </dialog>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { ApiContext } from './api-context.js';
import { ApiKeyDialog } from './api-key-dialog.js';
import type { ApiSession } from './api-session.js';
import { ChatPanel } from './chat-panel.js';
import { FeaturePanel } from './feature-panel.js';
import { GalleryPanel } from './gallery-panel.js';

type View = 'chat' | 'features' | 'gallery';
const views: Array<[View, string]> = [['chat', 'Chat'], ['features', 'Features'], ['gallery', 'Gallery']];
// Where the chat and one other panel fit side by side (styles.css hides the Chat tab there).
const wideScreen = '(min-width: 861px)';
const viewOf = (hash: string): View => (views.find(([view]) => `#${view}` === hash)?.[0] ?? 'chat');

/**
 * The playground: the chat beside the feature buttons and the gallery (one panel at a time on a phone,
 * chosen by the tabs; the chat always shows on a wide screen). New images from either flow refresh the gallery.
 */
export function App({ session }: { session: ApiSession }) {
  const [view, setView] = useState<View>(() => viewOf(location.hash));
  const [galleryVersion, setGalleryVersion] = useState(0);
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [wide, setWide] = useState(() => matchMedia(wideScreen).matches);
  useEffect(() => {
    const query = matchMedia(wideScreen);
    const onChange = () => setWide(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  useEffect(() => {
    const onHash = () => setView(viewOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const show = (next: View) => {
    history.replaceState(null, '', `#${next}`);
    setView(next);
  };
  const imagesChanged = () => setGalleryVersion((version) => version + 1);
  // On a wide screen the right-hand side shows features or the gallery; the chat is always on the left.
  const side: View = view === 'gallery' ? 'gallery' : 'features';
  return (
    <ApiContext.Provider value={session}>
      <header class="top">
        <h1>Darkroom <span>playground</span></h1>
        <nav aria-label="Panels">
          {views.map(([name, label]) => (
            <button key={name} type="button" class={`tab tab-${name}`} aria-pressed={wide ? name === side : name === view} onClick={() => show(name)}>
              {label}
            </button>
          ))}
        </nav>
      </header>
      <main class={`layout view-${view}`}>
        <section class="pane pane-chat" aria-label="Chat">
          <ChatPanel onImages={imagesChanged} onSession={setSessionId} />
        </section>
        <section class={`pane pane-features ${side === 'features' ? 'on-side' : ''}`} aria-label="Features">
          <FeaturePanel onImages={imagesChanged} />
        </section>
        <section class={`pane pane-gallery ${side === 'gallery' ? 'on-side' : ''}`} aria-label="Gallery">
          <GalleryPanel version={galleryVersion} sessionId={sessionId} onChange={imagesChanged} />
        </section>
      </main>
      <ApiKeyDialog />
    </ApiContext.Provider>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { useApi } from './api-context.js';

/**
 * A URL an <img> can show for a stored image: its bytes fetched with the tab's API key (an <img> cannot
 * send one) as an object URL, revoked when the image changes or leaves the page. Data URIs and blob
 * URLs are shown as they are. `undefined` while loading or when it failed.
 */
export function useImageSource(url: string | undefined): string | undefined {
  const api = useApi();
  const direct = url !== undefined && /^(data|blob):/.test(url);
  const [source, setSource] = useState<string | undefined>(direct ? url : undefined);
  useEffect(() => {
    if (url === undefined || direct) {
      setSource(url);
      return;
    }
    let objectUrl: string | undefined;
    let live = true;
    setSource(undefined);
    api
      .call((client) => client.assets.bytes(url))
      .then((blob) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setSource(objectUrl);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, api]);
  return source;
}

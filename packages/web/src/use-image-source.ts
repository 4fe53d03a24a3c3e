import { useEffect, useState } from 'preact/hooks';
import { useApi } from './api-context.js';

/** An image the page shows: a data URI it holds (a chosen file, a painted mask) or a stored image by its asset id. */
export type ImageRef = string | { assetId: string };

/**
 * A URL an <img> can show for an image: a data URI as it is; a stored image's bytes fetched by the
 * client with the tab's API key (an <img> cannot send one) as an object URL, revoked when the image
 * changes or leaves the page. `undefined` while loading, `null` when it could not be read (e.g. deleted for good).
 */
export function useImageSource(image: ImageRef | undefined): string | null | undefined {
  const api = useApi();
  const assetId = typeof image === 'object' ? image.assetId : undefined;
  const [source, setSource] = useState<string | null | undefined>(typeof image === 'string' ? image : undefined);
  useEffect(() => {
    if (assetId === undefined) {
      setSource(typeof image === 'string' ? image : undefined);
      return;
    }
    let objectUrl: string | undefined;
    let live = true;
    setSource(undefined);
    api
      .call((client) => client.assets.get(assetId))
      .then(({ bytes, mimeType }) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
        setSource(objectUrl);
      })
      .catch(() => {
        if (live) setSource(null);
      });
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [typeof image === 'string' ? image : assetId, api]);
  return source;
}

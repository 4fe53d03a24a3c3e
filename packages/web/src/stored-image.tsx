import { useImageSource } from './use-image-source.js';

/** An <img> of a stored image (fetched with the tab's API key) or a data URI; a grey box while it loads. */
export function StoredImage({ url, alt, class: className = '' }: { url: string | undefined; alt: string; class?: string }) {
  const source = useImageSource(url);
  if (!source) return <span class={`image-loading ${className}`} role="img" aria-label={`${alt || 'Image'} (loading)`} />;
  return <img class={className} src={source} alt={alt} />;
}

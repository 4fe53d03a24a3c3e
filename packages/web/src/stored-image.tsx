import { useImageSource, type ImageRef } from './use-image-source.js';

/** An <img> of a stored image (fetched with the tab's API key) or a data URI; a grey box while it loads, a note when it cannot be read. */
export function StoredImage({ image, alt, class: className = '' }: { image: ImageRef | undefined; alt: string; class?: string }) {
  const source = useImageSource(image);
  if (source === null) return <span class={`image-missing ${className}`} role="img" aria-label={`${alt || 'Image'} (unavailable)`}>Image unavailable</span>;
  if (!source) return <span class={`image-loading ${className}`} role="img" aria-label={`${alt || 'Image'} (loading)`} />;
  return <img class={className} src={source} alt={alt} />;
}

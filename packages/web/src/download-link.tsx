import { useImageSource, type ImageRef } from './use-image-source.js';

/** A link that saves an image (a stored one is fetched with the tab's API key first) under `filename`. */
export function DownloadLink({ image, filename }: { image: ImageRef; filename: string }) {
  const source = useImageSource(image);
  if (!source) return null;
  return (
    <a class="button quiet" href={source} download={filename}>
      Download
    </a>
  );
}

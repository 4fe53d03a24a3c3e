import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** The area of an image field that takes dropped files (highlighted while they are dragged over it). */
export function ImageDropZone({ onFiles, children }: { onFiles: (files: FileList | undefined) => void; children: ComponentChildren }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={`drop ${over ? 'over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        onFiles(event.dataTransfer?.files);
      }}
    >
      {children}
    </div>
  );
}

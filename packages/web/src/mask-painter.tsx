import { useEffect, useRef, useState } from 'preact/hooks';
import { imageRefOf } from './image-field.js';
import { readFileAsDataUri } from './read-file.js';
import type { FieldValue, FormField } from './schema-to-fields.js';
import { useImageSource } from './use-image-source.js';

/** The painted strokes as a mask PNG of the image's size: white where painted, black elsewhere. */
export function strokesToMask(strokes: HTMLCanvasElement): string {
  const mask = document.createElement('canvas');
  mask.width = strokes.width;
  mask.height = strokes.height;
  const context = mask.getContext('2d')!;
  const painted = strokes.getContext('2d')!.getImageData(0, 0, strokes.width, strokes.height);
  const pixels = painted.data;
  for (let index = 0; index < pixels.length; index += 4) {
    const value = pixels[index + 3]! > 0 ? 255 : 0;
    pixels[index] = value;
    pixels[index + 1] = value;
    pixels[index + 2] = value;
    pixels[index + 3] = 255;
  }
  context.putImageData(painted, 0, 0);
  return mask.toDataURL('image/png');
}

/**
 * A mask input: a brush to paint over the chosen image (mouse, pen or touch) whose strokes are sent as
 * a PNG of the image's size (white = paint), or a mask file chosen instead (the keyboard's way).
 */
export function MaskPainter({ id, field, image, value, onChange }: { id: string; field: FormField; image: FieldValue; value: FieldValue; onChange: (value: FieldValue) => void }) {
  const source = useImageSource(imageRefOf(image));
  const canvas = useRef<HTMLCanvasElement>(null);
  const [loaded, setLoaded] = useState<{ source: string; width: number; height: number } | undefined>();
  const size = loaded && loaded.source === source ? loaded : undefined;
  const [brush, setBrush] = useState(24);
  const [uploaded, setUploaded] = useState(false);
  const last = useRef<{ x: number; y: number } | undefined>(undefined);

  // A new image starts a new mask.
  useEffect(() => {
    if (!uploaded) onChange(undefined);
  }, [source]);

  const point = (event: PointerEvent) => {
    const element = canvas.current!;
    const box = element.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * element.width, y: ((event.clientY - box.top) / box.height) * element.height, scale: element.width / box.width };
  };
  const paint = (event: PointerEvent) => {
    const context = canvas.current!.getContext('2d')!;
    const { x, y, scale } = point(event);
    context.strokeStyle = 'rgba(255, 56, 96, 1)';
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = brush * scale;
    context.beginPath();
    context.moveTo(last.current?.x ?? x, last.current?.y ?? y);
    context.lineTo(x, y);
    context.stroke();
    last.current = { x, y };
  };
  const finish = () => {
    if (!last.current) return;
    last.current = undefined;
    setUploaded(false);
    onChange(strokesToMask(canvas.current!));
  };
  const clear = () => {
    const element = canvas.current;
    element?.getContext('2d')!.clearRect(0, 0, element.width, element.height);
    setUploaded(false);
    onChange(undefined);
  };

  return (
    <div class="field mask-field">
      <span class="label" id={`${id}-label`}>{field.label}</span>
      {field.description && <small>{field.description}</small>}
      {!source && <p class="hint">Choose the image first, then paint over what to remove.</p>}
      {source && (
        <div class="mask-stage">
          <img src={source} alt="The image to paint a mask on" onLoad={(event) => setLoaded({ source, width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })} />
          {size && (
            <canvas
              ref={canvas}
              id={id}
              width={size.width}
              height={size.height}
              aria-label="Mask: paint over what to remove"
              onPointerDown={(event) => {
                event.currentTarget.setPointerCapture(event.pointerId);
                last.current = undefined;
                paint(event);
              }}
              onPointerMove={(event) => {
                if (last.current) paint(event);
              }}
              onPointerUp={finish}
              onPointerCancel={finish}
            />
          )}
        </div>
      )}
      <div class="actions">
        <label class="inline">
          Brush
          <input type="range" min={4} max={120} value={brush} onInput={(event) => setBrush(Number(event.currentTarget.value))} aria-label="Brush size" />
        </label>
        <button type="button" class="quiet" onClick={clear} disabled={value === undefined}>Clear mask</button>
        <label class="button quiet file-button">
          Upload a mask
          <input type="file" accept="image/*" class="visually-hidden" onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            clear();
            setUploaded(true);
            onChange(await readFileAsDataUri(file));
          }} />
        </label>
        <span class="hint" role="status">{value === undefined ? 'No mask yet' : uploaded ? 'Mask file chosen' : 'Mask painted'}</span>
      </div>
    </div>
  );
}

import { useState } from 'preact/hooks';
import { useImageSource, type ImageRef } from './use-image-source.js';

/** The result over its input, split by a slider (keyboard: arrow keys): the input left of it, the result right. */
export function BeforeAfter({ before, after }: { before: ImageRef; after: ImageRef }) {
  const [split, setSplit] = useState(50);
  const beforeSource = useImageSource(before);
  const afterSource = useImageSource(after);
  return (
    <figure class="compare">
      <div class="compare-frame">
        {afterSource && <img class="after" src={afterSource} alt="After" />}
        {beforeSource && <img class="before" src={beforeSource} alt="Before" style={{ clipPath: `inset(0 ${100 - split}% 0 0)` }} />}
        <span class="compare-line" style={{ left: `${split}%` }} aria-hidden="true" />
      </div>
      <label class="compare-control">
        <span>Before</span>
        <input type="range" min={0} max={100} value={split} onInput={(event) => setSplit(Number(event.currentTarget.value))} aria-label="Before/after split" />
        <span>After</span>
      </label>
    </figure>
  );
}

import { glyphAdvance, glyphHeight, pixelTextSvg, pixelTextWidth, toPixelFontText } from './pixel-text-svg.js';

/** The label's wordings, longest line first tried: narrow images take the shorter lines. */
const wordings = [
  ['DEVELOPMENT PLACEHOLDER — NOT AI'],
  ['DEVELOPMENT PLACEHOLDER', 'NOT AI'],
  ['DEVELOPMENT', 'PLACEHOLDER', 'NOT AI'],
  ['PLACE-', 'HOLDER', 'NOT AI'],
];
/** Font pixels from one line's top to the next. */
const lineAdvance = glyphHeight + 2;

/** The prompt's first words that fit in `columns` characters, quoted, with `…` when some are left out. */
function promptLine(prompt: string, columns: number): string | undefined {
  const words = toPixelFontText(prompt).split(' ').filter(Boolean);
  let shown = 0;
  // Room for the quotes and an ellipsis.
  while (shown < words.length && words.slice(0, shown + 1).join(' ').length + 3 <= columns) shown += 1;
  if (shown === 0) return undefined;
  return `"${words.slice(0, shown).join(' ')}${shown < words.length ? '…' : ''}"`;
}

/**
 * An SVG group stamping an image of `width`×`height` as a development placeholder: a yellow band
 * with black borders across the middle reading "DEVELOPMENT PLACEHOLDER — NOT AI" (in fewer words on
 * narrow images, down to "PLACE-HOLDER NOT AI" at 64 px) and, when it fits, the prompt's first words.
 * Its text is about a 256th of the image's width per font pixel (at least one image pixel; less when
 * the band would cover more than four fifths of the height),
 * drawn in a pixel font of whole pixels: readable from 64 to 2048 px and the same on every machine.
 *
 * @example
 * const svg = `<svg …>${scene}${placeholderLabelSvg(1024, 1024, 'a sunset over mountains')}</svg>`;
 */
export function placeholderLabelSvg(width: number, height: number, prompt: string): string {
  const margin = Math.max(2, Math.round(width * 0.04));
  const wanted = Math.max(1, Math.round(width / 256));
  // Each wording at the largest scale (up to the wanted one) its widest line and its lines' height
  // allow; the first of the largest wins. On an image too small for any, the shortest at scale 1.
  const fits = wordings.map((lines) => {
    const byWidth = Math.floor((width - 2 * margin) / Math.max(...lines.map(pixelTextWidth)));
    const byHeight = Math.floor((height * 0.8) / (lines.length * lineAdvance + 2));
    return { lines, scale: Math.min(wanted, byWidth, byHeight) };
  });
  const best = fits.reduce((chosen, fit) => (fit.scale > chosen.scale ? fit : chosen));
  const { lines, scale } = best.scale > 0 ? best : { lines: wordings.at(-1)!, scale: 1 };
  const columns = Math.floor(((width - 2 * margin) / scale + 1) / glyphAdvance);
  const words = promptLine(prompt, columns);
  const shown = words && (lines.length + 1) * lineAdvance + 2 <= (height * 0.8) / scale ? [...lines, words] : lines;
  const pad = 2 * scale;
  const bandHeight = (shown.length * lineAdvance - 2) * scale + 2 * pad;
  const top = Math.round((height - bandHeight) / 2);
  const text = shown.map((line, index) => pixelTextSvg(line, Math.round((width - pixelTextWidth(line) * scale) / 2), top + pad + index * lineAdvance * scale, scale, '#111111')).join('');
  const border = Math.max(1, Math.round(scale / 2));
  return `<g><rect x="0" y="${top - border}" width="${width}" height="${bandHeight + 2 * border}" fill="#111111"/><rect x="0" y="${top}" width="${width}" height="${bandHeight}" fill="#fde047"/>${text}</g>`;
}

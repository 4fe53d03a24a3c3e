import { describe, expect, it } from 'vitest';
import { pixelTextSvg, pixelTextWidth, toPixelFontText } from './pixel-text-svg.js';

describe('pixelTextSvg', () => {
  it('draws a glyph as whole-pixel rectangles, one per run of lit pixels in a row, scaled', () => {
    // I: .###. then five ..#.. then .###.
    const rects = [...pixelTextSvg('I', 10, 20, 2, '#111').matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"\/>/g)].map((match) => match.slice(1).map(Number));
    expect(rects).toEqual([[12, 20, 6, 2], [14, 22, 2, 2], [14, 24, 2, 2], [14, 26, 2, 2], [14, 28, 2, 2], [14, 30, 2, 2], [12, 32, 6, 2]]);
    expect(pixelTextSvg('AB', 0, 0, 1, '#111')).toMatch(/^<g fill="#111" shape-rendering="crispEdges">(<rect [^>]+\/>)+<\/g>$/);
    expect(pixelTextWidth('NOT AI')).toBe(35);
  });

  it('spells text as the font can: accents dropped, upper case, other characters as single spaces', () => {
    expect(toPixelFontText('Tạo ảnh hoàng hôn, đẹp!')).toBe('TAO ANH HOANG HON, DEP!');
    expect(toPixelFontText('a ring 💍 — 18k gold #2')).toBe('A RING — 18K GOLD 2');
    expect(toPixelFontText('一枚の指輪')).toBe('');
  });
});

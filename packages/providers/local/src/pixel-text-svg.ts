/**
 * A 5×7 pixel font (rows top to bottom, `#` on): upper-case letters, digits and some punctuation,
 * enough for labels and a prompt's words. Drawn as SVG rectangles, it needs no installed font, so
 * its pixels are the same on every machine.
 */
const glyphs: Record<string, string> = {
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '###.. #..#. #...# #...# #...# #..#. ###..',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '-': '..... ..... ..... .###. ..... ..... .....',
  '—': '..... ..... ..... ##### ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... .##.. ..#.. .#...',
  "'": '..#.. ..#.. .#... ..... ..... ..... .....',
  '"': '.#.#. .#.#. ..... ..... ..... ..... .....',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '…': '..... ..... ..... ..... ..... ..... #.#.#',
};

/** Glyph cell size in font pixels: 5 wide plus a column of spacing, 7 high. */
export const glyphAdvance = 6;
export const glyphHeight = 7;

/**
 * Text as the pixel font can draw it: accents dropped (Vietnamese `đ` as `D`), upper case, any other
 * character a space, runs of spaces as one.
 *
 * @example
 * toPixelFontText('Hoàng hôn trên núi 🌄'); // 'HOANG HON TREN NUI'
 */
export function toPixelFontText(text: string): string {
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'D').toUpperCase();
  return [...plain].map((character) => (character in glyphs ? character : ' ')).join('').replace(/ +/g, ' ').trim();
}

/** The width of a line in font pixels (times the scale for image pixels), without trailing spacing. */
export const pixelTextWidth = (text: string) => Math.max(0, [...text].length * glyphAdvance - 1);

/**
 * SVG rectangles drawing a line of text in the pixel font (characters it lacks left blank), its
 * top-left corner at `x`, `y`, each font pixel `scale` image pixels square: whole pixels, no
 * anti-aliasing, no installed font.
 *
 * @example
 * pixelTextSvg('NOT AI', 10, 20, 2, '#111'); // '<g fill="#111"><rect x="10" y="22" width="2" height="2"/>…</g>'
 */
export function pixelTextSvg(text: string, x: number, y: number, scale: number, fill: string): string {
  const rects: string[] = [];
  [...text].forEach((character, index) => {
    const rows = glyphs[character]?.split(' ') ?? [];
    rows.forEach((row, rowIndex) => {
      // One rectangle per run of lit pixels in a row.
      for (const run of row.matchAll(/#+/g)) {
        rects.push(`<rect x="${x + (index * glyphAdvance + run.index) * scale}" y="${y + rowIndex * scale}" width="${run[0].length * scale}" height="${scale}"/>`);
      }
    });
  });
  return `<g fill="${fill}" shape-rendering="crispEdges">${rects.join('')}</g>`;
}

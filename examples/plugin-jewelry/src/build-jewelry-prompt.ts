import type { JewelryProperties } from './jewelry-properties.js';

type Gemstone = JewelryProperties['gemstones'][number];

const pieceNames: Record<JewelryProperties['piece'], string> = {
  ring: 'ring',
  'engagement-ring': 'engagement ring',
  'wedding-band': 'wedding band',
  necklace: 'necklace',
  pendant: 'pendant on a fine chain',
  earrings: 'pair of earrings',
  bracelet: 'bracelet',
  bangle: 'bangle',
  brooch: 'brooch',
  anklet: 'anklet',
  cufflinks: 'pair of cufflinks',
  tiara: 'tiara',
};

/** The plural of a stone's words: "rubies", "topazes", "pieces of jade". */
function plural(words: string): string {
  if (/jade$/.test(words)) return words.replace(/jade$/, 'pieces of jade');
  if (/[^aeiou]y$/.test(words)) return `${words.slice(0, -1)}ies`;
  if (/(?:z|s|x|ch|sh)$/.test(words)) return `${words}es`;
  return `${words}s`;
}

const article = (words: string) => (/^[aeiou]/i.test(words) ? 'an' : 'a');

function stonePhrase(stone: Gemstone): string {
  const kind = stone.kind === 'emerald' && stone.cut === 'emerald' ? 'emerald' : stone.kind;
  const words = [stone.size, stone.cut ? `${stone.cut}-cut` : undefined, stone.colour, kind].filter(Boolean).join(' ');
  if (stone.count && stone.count > 1) return `${stone.count} ${plural(words)}`;
  return `${article(words)} ${words}`;
}

/** "a, b and c". */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The text-to-image prompt of a jewellery design: the piece in its metal, karat and finish, its
 * stones, style and engraving, drawn as a designer's sketch sheet (`2d`) or rendered as a product
 * photograph (`3d`), with the user's own words last.
 *
 * @example
 * buildJewelryPrompt({ render: '3d', piece: 'ring', metal: 'rose-gold', finish: 'polished', gemstones: [{ kind: 'sapphire', size: 'small' }] });
 * // 'Photorealistic 3D product render of a polished rose gold ring set with a small sapphire. …'
 */
export function buildJewelryPrompt(properties: JewelryProperties, words?: string): string {
  const metal = `${properties.karat ? `${properties.karat}k ` : ''}${properties.metal.replace('-', ' ')}`;
  const piece = `${properties.finish} ${metal} ${pieceNames[properties.piece]}`;
  const parts = [`${article(piece)} ${piece}`];
  if (properties.gemstones.length > 0) parts.push(`set with ${list(properties.gemstones.map(stonePhrase))}`);
  if (properties.style) parts.push(`in ${article(properties.style)} ${properties.style.replace('-', ' ')} style`);
  if (properties.engraving) parts.push(`engraved with the text "${properties.engraving}"`);
  const subject = parts.join(', ');
  const details = words?.trim() ? ` Details: ${words.trim()}.` : '';
  return properties.render === '2d'
    ? `Jewelry design sketch of ${subject}. A designer's presentation sheet on white paper: front, side and top views, fine pencil lines with watercolour shading of the metal and stones, no text labels.${details}`
    : `Photorealistic 3D product render of ${subject}. Studio lighting with soft reflections on the metal, sparkling facets, on a seamless light grey background, sharp macro detail, centred.${details}`;
}

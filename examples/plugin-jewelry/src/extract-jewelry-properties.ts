import { gemstoneCuts, karats, type JewelryPropertiesInput } from './jewelry-properties.js';

type Gemstone = NonNullable<JewelryPropertiesInput['gemstones']>[number];

// Patterns read lower-cased words. Vietnamese is written without diacritics (the engine calls
// `extract` with the words as written and again folded, "nhẫn" → "nhan"), except where the bare
// folded word means something else too ("vàng" gold / "vâng" yes; "trơn" plain / "tròn" round).
const letter = String.raw`\p{L}`;
const word = (pattern: string) => new RegExp(String.raw`(?<![${letter}\d])(?:${pattern})(?![${letter}])`, 'u');

const pieces: Array<[RegExp, NonNullable<JewelryPropertiesInput['piece']>]> = [
  [word('engagement rings?|nhan (?:cau hon|dinh hon)|nhẫn (?:cầu hôn|đính hôn)'), 'engagement-ring'],
  [word('wedding (?:bands?|rings?)|nhan cuoi|nhẫn cưới'), 'wedding-band'],
  [word('pendants?|mat day chuyen|mặt dây chuyền'), 'pendant'],
  [word('necklaces?|chains?|day chuyen|dây chuyền|vong co|vòng cổ'), 'necklace'],
  [word('earrings?|studs|bong tai|bông tai|hoa tai|khuyen tai|khuyên tai'), 'earrings'],
  [word('bangles?|vong kieng|vòng kiềng'), 'bangle'],
  [word('bracelets?|vong tay|vòng tay|lac tay|lắc tay'), 'bracelet'],
  [word('brooch(?:es)?|tram cai|trâm cài|ghim cai|ghim cài'), 'brooch'],
  [word('anklets?|lac chan|lắc chân'), 'anklet'],
  [word('cufflinks?|khuy mang set|khuy măng sét'), 'cufflinks'],
  [word('tiaras?|vuong mien|vương miện'), 'tiara'],
  [word('rings?|nhan|nhẫn'), 'ring'],
];

const metals: Array<[RegExp, NonNullable<JewelryPropertiesInput['metal']>]> = [
  [word('rose[- ]gold|pink gold|vang hong|vàng hồng'), 'rose-gold'],
  [word('white[- ]gold|vang trang|vàng trắng'), 'white-gold'],
  [word('platinum|bach kim|bạch kim'), 'platinum'],
  [word('(?:sterling )?silver|bang bac|sang bac|bac 925|bac y|bạc'), 'silver'],
  [word('titanium|titan'), 'titanium'],
  [word('yellow[- ]gold|gold|golden|vang vang|vàng vàng|vàng'), 'yellow-gold'],
];

const finishes: Array<[RegExp, NonNullable<JewelryPropertiesInput['finish']>]> = [
  [word('hammered|van bua|vân búa|dap bua|dập búa'), 'hammered'],
  [word('brushed|satin|xuoc|xước'), 'brushed'],
  [word('matte?|frosted|nham|nhám|mờ'), 'matte'],
  [word('polished|shiny|high[- ]polish|danh bong|đánh bóng|bong loang|bóng loáng'), 'polished'],
];

const styles: Array<[RegExp, NonNullable<JewelryPropertiesInput['style']>]> = [
  [word('art[- ]deco'), 'art-deco'],
  [word('vintage|retro|antique|hoai co|hoài cổ'), 'vintage'],
  [word('classic|classical|timeless|co dien|cổ điển'), 'classic'],
  [word('minimalist|minimal|simple|dainty|toi gian|tối giản|don gian|đơn giản'), 'minimalist'],
  [word('modern|contemporary|hien dai|hiện đại'), 'modern'],
  [word('floral|flowers?|hoa(?! tai)|hình hoa|hoa văn hoa'), 'floral'],
  [word('nature|leaf|leaves|vine|organic|thien nhien|thiên nhiên|la cay|lá cây'), 'nature'],
  [word('geometric|hinh hoc|hình học'), 'geometric'],
  [word('boho|bohemian'), 'bohemian'],
  [word('luxury|luxurious|opulent|sang trong|sang trọng|cao cap|cao cấp|quy phai|quý phái'), 'luxury'],
];

const gemstones: Array<[string, Gemstone['kind']]> = [
  ['diamonds?|kim cuong|kim cương', 'diamond'],
  ['sapphires?|lam ngoc|lam ngọc', 'sapphire'],
  ['rub(?:y|ies)|hong ngoc|hồng ngọc', 'ruby'],
  ['emeralds?(?![- ]cut)|ngoc luc bao|ngọc lục bảo', 'emerald'],
  ['pearls?|ngoc trai|ngọc trai', 'pearl'],
  ['amethysts?|thach anh tim|thạch anh tím', 'amethyst'],
  ['topaz(?:es)?|hoang ngoc|hoàng ngọc', 'topaz'],
  ['opals?', 'opal'],
  ['aquamarines?', 'aquamarine'],
  ['garnets?|ngoc hong luu|ngọc hồng lựu', 'garnet'],
  ['jade|ngoc bich|ngọc bích|cam thach|cẩm thạch', 'jade'],
  ['citrines?|thach anh vang|thạch anh vàng', 'citrine'],
  ['moissanites?', 'moissanite'],
  ['tanzanites?', 'tanzanite'],
];
const gemPattern = new RegExp(String.raw`(?<![${letter}])(?:${gemstones.map(([pattern]) => `(${pattern})`).join('|')})(?![${letter}])`, 'gu');

const numberWords: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, mot: 1, một: 1, hai: 2, ba: 3, bon: 4, bốn: 4, nam: 5, năm: 5, sau: 6, sáu: 6 };
// English names a stone's size, cut and colour before it ("a small blue sapphire"), Vietnamese after it ("kim cương hồng nhỏ").
const sizes: Array<[RegExp, NonNullable<Gemstone['size']>]> = [
  [word('small|tiny|little|petite|accent'), 'small'],
  [word('medium|mid-sized'), 'medium'],
  [word('large|big|huge|statement|center|centre'), 'large'],
];
const vietnameseSizes: Array<[RegExp, NonNullable<Gemstone['size']>]> = [
  [word('nho|nhỏ|bé|xíu'), 'small'],
  [word('vua|vừa'), 'medium'],
  [word('lon|lớn|to'), 'large'],
];
const colours: Array<[RegExp, string]> = [
  [word('blue'), 'blue'],
  [word('pink|rose'), 'pink'],
  [word('yellow|canary'), 'yellow'],
  [word('black'), 'black'],
  [word('green'), 'green'],
  [word('red'), 'red'],
  [word('purple|violet'), 'purple'],
  [word('champagne'), 'champagne'],
  [word('white'), 'white'],
];
const vietnameseColours: Array<[RegExp, string]> = [
  [word('xanh la|xanh lá|xanh luc|xanh lục'), 'green'],
  [word('xanh duong|xanh dương|xanh lam|xanh'), 'blue'],
  [word('hong|hồng'), 'pink'],
  [word('vàng'), 'yellow'],
  [word('den|đen'), 'black'],
  [word('đỏ'), 'red'],
  [word('tim|tím'), 'purple'],
  [word('trang|trắng'), 'white'],
];
const cutPattern = new RegExp(String.raw`(?<![${letter}])(${gemstoneCuts.join('|')})(?:[- ]cut)?(?![${letter}])`, 'u');
const vietnameseCutPattern = new RegExp(String.raw`(?<![${letter}])(?:giac |giác |hinh |hình )?(tron|tròn|cong chua|công chúa|bau duc|bầu dục|giot nuoc|giọt nước|trai tim|trái tim|tim)(?![${letter}])`, 'u');
const vietnameseCuts: Record<string, Gemstone['cut']> = { tron: 'round', tròn: 'round', 'cong chua': 'princess', 'công chúa': 'princess', 'bau duc': 'oval', 'bầu dục': 'oval', 'giot nuoc': 'pear', 'giọt nước': 'pear', 'trai tim': 'heart', 'trái tim': 'heart', tim: 'heart' };

const first = <T>(table: Array<[RegExp, T]>, text: string): T | undefined => table.find(([pattern]) => pattern.test(text))?.[1];

/** "3 gold rings", "two pendants", "3 chiếc nhẫn": that many designs (a pair of earrings is one piece). */
const pieceCount = new RegExp(
  String.raw`(?<![${letter}\d])(\d{1,2}|two|three|four|hai|ba|bon|bốn)\s+(?:[${letter}-]+\s+){0,3}?(?:(?:engagement\s+)?rings|wedding bands|necklaces|pendants|bracelets|bangles|brooches|anklets|tiaras|(?:chiec|chiếc|cai|cái)\s+(?:nhan|nhẫn|day chuyen|dây chuyền|vong tay|vòng tay|lac tay|lắc tay))(?![${letter}])`,
  'u',
);

/** What the words around one stone say of it: its size, cut and colour (English before it, Vietnamese after it) and its count (before it). */
function describeStone(kind: Gemstone['kind'], before: string, after: string): Gemstone {
  const stone: Gemstone = { kind };
  const size = first(sizes, before) ?? first(vietnameseSizes, after);
  if (size) stone.size = size;
  const cut = (cutPattern.exec(before)?.[1] as Gemstone['cut'] | undefined) ?? vietnameseCuts[vietnameseCutPattern.exec(after)?.[1] ?? ''];
  if (cut) stone.cut = cut;
  // Pearls and jade are named by colour in their own words ("ngọc trai trắng" is just a pearl).
  const colour = kind === 'pearl' || kind === 'jade' ? undefined : (first(colours, before) ?? first(vietnameseColours, after.replace(vietnameseCutPattern, '')));
  if (colour) stone.colour = colour;
  const count = new RegExp(String.raw`(?<![${letter}\d])(\d{1,3}|${Object.keys(numberWords).join('|')})(?![${letter}\d])`, 'u').exec(before)?.[1];
  const value = count === undefined ? undefined : /^\d+$/.test(count) ? Number(count) : numberWords[count];
  if (value && value > 1) stone.count = value;
  return stone;
}

/** Words that take the stone after them away ("no diamonds", "replace the diamond", "không có kim cương", "thay cho kim cương"). */
const negation = new RegExp(String.raw`(?<![${letter}])(?:no|not|without|never|don'?t|do not|remove|removing|take off|minus|instead of|replace|replacing|swap|không|khong|đừng|chẳng|bỏ|bo|thay cho|thay vì|thay vi|thay|đổi|doi)(?![${letter}])`, 'gu');
/** Words after a negation that turn it into a change to what follows ("đổi sang ruby", "replace it with a ruby"). */
const turnsTo = new RegExp(String.raw`(?<![${letter}])(?:to|into|with|for|sang|thành|thanh|bằng|bang)(?![${letter}])`, 'u');

/** Whether the words before a stone (in its clause) take it away. */
function negates(before: string): boolean {
  const last = [...before.matchAll(negation)].at(-1);
  return last !== undefined && !turnsTo.test(before.slice(last.index + last[0].length));
}

/**
 * The stones the words name, in order, each with the words next to it (up to the next stone or a
 * comma); and the kinds they take away ("no diamonds", "replace the diamond with…").
 */
function readGemstones(text: string): { stones: Gemstone[]; negated: Array<Gemstone['kind']> } {
  const stones: Gemstone[] = [];
  const negated: Array<Gemstone['kind']> = [];
  const matches = [...text.matchAll(gemPattern)];
  for (const [index, match] of matches.entries()) {
    const kind = gemstones[match.slice(1).findIndex((group) => group !== undefined)]![1];
    const start = Math.max(matches[index - 1] ? matches[index - 1]!.index + matches[index - 1]![0].length : 0, text.lastIndexOf(',', match.index) + 1);
    const before = text.slice(start, match.index).split(/\s+/).slice(-4).join(' ');
    if (negates(before)) {
      if (!negated.includes(kind)) negated.push(kind);
      continue;
    }
    if (stones.some((stone) => stone.kind === kind)) continue;
    const end = Math.min(matches[index + 1]?.index ?? text.length, ...[',', ' and ', ' với ', ' va ', ' và '].map((stop) => text.indexOf(stop, match.index + match[0].length)).filter((at) => at >= 0));
    const after = text.slice(match.index + match[0].length, end).split(/\s+/).slice(0, 4).join(' ');
    stones.push(describeStone(kind, before, after));
  }
  return { stones, negated: negated.filter((kind) => !stones.some((stone) => stone.kind === kind)) };
}

/**
 * The kinds of stone the words take away: "remove the diamond", "no pearls", "replace the ruby with
 * an emerald" (the ruby), "bỏ kim cương", "thay cho kim cương". For follow-ups that change the stones
 * a design has.
 *
 * @example
 * negatedStones('replace the diamond with a ruby'); // ['diamond']
 */
export function negatedStones(words: string): Array<Gemstone['kind']> {
  return readGemstones(words.toLowerCase()).negated;
}

/**
 * The jewellery properties a request names, in English and Vietnamese: piece, metal, karat,
 * finish, stones (kind, cut, colour, size, count), style, engraving and whether a sketch (`2d`) or
 * a render (`3d`) is wanted, and how many designs ("3 gold rings": `variations`). Only what the words say; the schema's defaults fill the rest. "No
 * stones", "plain", "không đá" give an empty list of stones.
 *
 * @example
 * extractJewelryProperties('a rose gold ring with a small sapphire, vintage style');
 * // { piece: 'ring', metal: 'rose-gold', style: 'vintage', gemstones: [{ kind: 'sapphire', size: 'small' }] }
 * extractJewelryProperties('nhẫn vàng trắng đính kim cương');
 * // { piece: 'ring', metal: 'white-gold', gemstones: [{ kind: 'diamond' }] }
 */
export function extractJewelryProperties(words: string): Partial<JewelryPropertiesInput> & { variations?: number } {
  const text = words.toLowerCase();
  const found: Partial<JewelryPropertiesInput> & { variations?: number } = {};
  const piece = first(pieces, text);
  if (piece) found.piece = piece;
  const metal = first(metals, text);
  if (metal) found.metal = metal;
  // Any karat said, so that one the schema does not take (9k) is refused with the ones it does, not dropped.
  const karat = Number(/(?<!\d)(\d{1,2})\s*(?:k|kt|karat)(?![\p{L}])/u.exec(text)?.[1]);
  if (karat >= 8 && karat <= 24) found.karat = karat as (typeof karats)[number];
  const finish = first(finishes, text);
  if (finish) found.finish = finish;
  const style = first(styles, text);
  if (style) found.style = style;
  if (word(String.raw`2d|sketch(?:es|ed)?|drawings?|hand[- ]drawn|ban ve|bản vẽ|phac thao|phác thảo|ve tay|vẽ tay`).test(text)) found.render = '2d';
  if (word(String.raw`3d|renders?|realistic|photorealistic|product (?:photo|shot)|3 chieu|3 chiều|anh that|ảnh thật|chan thuc|chân thực`).test(text)) found.render = '3d';
  const count = pieceCount.exec(text)?.[1];
  if (count) {
    const value = /^\d+$/.test(count) ? Number(count) : numberWords[count];
    // As many as the feature draws at once (4); one is no count to set.
    if (value && value > 1) found.variations = Math.min(value, 4);
  }
  const { stones, negated } = readGemstones(text);
  if (stones.length > 0) found.gemstones = stones;
  else if (negated.length > 0 || word(String.raw`no (?:stones?|gems?|gemstones?)|without (?:any )?(?:stones?|gems?|gemstones?)|plain|khong (?:co )?da|không (?:có )?đá|bo da|bỏ đá|trơn`).test(text)) found.gemstones = [];
  // Up to 200 characters, so that a text longer than the schema's 40 is refused with the limit, not dropped.
  const quoted = /(?:engrav\w*|inscri\w*|khac|khắc)\s+(?:(?:it|with|the|text|words?|name|chu|chữ|ten|tên)\s+)*(?:"([^"]{1,200})"|“([^”]{1,200})”|'([^']{1,200})'|‘([^’]{1,200})’)/iu.exec(words);
  const engraving = quoted?.slice(1).find((text) => text !== undefined)?.trim() ?? /initials\s+([A-Z](?:\s*[&+.]\s*[A-Z])+)/u.exec(words)?.[1];
  if (engraving) found.engraving = engraving;
  return found;
}

/** Words of a request that only say what to do with the properties, not what the design looks like. */
const fillerWords = [
  'a', 'an', 'the', 'with', 'and', 'in', 'of', 'on', 'for', 'to', 'into', 'it', 'its', 'this', 'that', 'one', 'some', 'me', 'my', 'please', 'pls', 'now', 'also', 'instead',
  'make', 'change', 'turn', 'switch', 'add', 'put', 'use', 'set', 'studded', 'style', 'styled', 'finish', 'cut', 'stone', 'stones', 'gem', 'gems', 'gemstone', 'gemstones',
  'design', 'designs', 'version', 'piece', 'metal', 'karat', 'more', 'same', 'but', 'just', 'only', 'show', 'give', 'i', 'want', 'like', 'would', 'could', 'can', 'you',
  'và', 'va', 'với', 'voi', 'bằng', 'bang', 'kiểu', 'kieu', 'phong', 'cách', 'cach', 'một', 'mot', 'cái', 'cai', 'chiếc', 'chiec', 'đôi', 'doi', 'mẫu', 'mau', 'cho', 'tôi', 'toi',
  'mình', 'minh', 'thiết', 'thiet', 'kế', 'ke', 'làm', 'lam', 'nó', 'no', 'sang', 'đổi', 'thêm', 'them', 'đính', 'dinh', 'gắn', 'gan', 'chất', 'chat', 'liệu', 'lieu', 'màu',
  'loại', 'loai', 'viên', 'vien', 'nhé', 'nhe', 'đi', 'ạ', 'giúp', 'giup', 'hãy', 'hay', 'này', 'nay', 'thành', 'thanh', 'đá', 'da', 'muốn', 'muon', 'vẽ', 've', 'tạo', 'tao',
];

/** Every phrase the properties are read from, anywhere in the words, with the article or count before it ("an engagement ring", "một chiếc nhẫn"). */
const propertyPhrases = new RegExp(
  String.raw`(?:(?<![${letter}])(?:an?|the|one|two|three|\d{1,2}|một|mot|cái|cai|chiếc|chiec|đôi|doi|viên|vien)\s+)?(?:` +
  [
    ...[pieces, metals, finishes, styles, sizes, vietnameseSizes, colours, vietnameseColours].flatMap((table) => table.map(([pattern]) => pattern.source)),
    gemPattern.source, cutPattern.source, vietnameseCutPattern.source,
    String.raw`(?<![${letter}\d])\d{2}\s*(?:k|kt|karat)(?![${letter}])`,
    String.raw`(?<![${letter}])(?:2d|3d|sketch(?:es|ed)?|drawings?|renders?|realistic|photorealistic|bản vẽ|ban ve|phác thảo|phac thao)(?![${letter}])`,
    String.raw`(?:engrav\w*|inscri\w*|khac|khắc)\s+(?:(?:it|with|the|text|words?|name|chu|chữ|ten|tên)\s+)*(?:"[^"]{0,200}"|“[^”]{0,200}”|'[^']{0,200}'|‘[^’]{0,200}’)`,
  ].join('|') + ')',
  'giu',
);

/**
 * Words that are only filler and whatever is not a letter (spaces, punctuation, digits, emoji)
 * between them. Linear time: a filler word must start with a letter and end before one, and what lies
 * between words holds no letter, so there is one way to read any text (no nested repetition of
 * overlapping parts, which would take exponential time on a long run of punctuation).
 */
const fillerOnly = new RegExp(String.raw`^[^${letter}]*(?:(?:${fillerWords.join('|')})(?![${letter}])[^${letter}]*)*$`, 'iu');

/**
 * The rule-based detector's `strip` patterns: the property phrases come out of the words the prompt
 * is made from, and words left with nothing but filler ("make it …", "thêm một viên …") are no prompt
 * at all. What is left is what the properties cannot say ("with a vine motif around the band").
 */
export const propertyStrip: RegExp[] = [propertyPhrases, fillerOnly];

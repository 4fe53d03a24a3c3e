import { z } from 'zod';
import type { AnyFeature } from '@darkroom/plugin-api';

const numberWords: Record<string, number> = {
  'a couple of': 2, 'a pair of': 2, 'a few': 3, one: 1, a: 1, an: 1, single: 1, two: 2, pair: 2, couple: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  một: 1, mot: 1, hai: 2, ba: 3, bốn: 4, bon: 4, tư: 4, năm: 5, nam: 5, sáu: 6, sau: 6, bảy: 7, bay: 7, tám: 8, tam: 8, chín: 9, chin: 9, mười: 10, muoi: 10,
};

/**
 * "2 images", "three pictures", "a couple of versions", "4 variations", "hai ảnh", "3 tấm ảnh",
 * "ba bức tranh", "2 phiên bản". The number, then the noun counted (with Vietnamese classifiers).
 */
const pictureCount = new RegExp(
  String.raw`(?<![\p{L}\d:×.,/+\-])(\d{1,3}|${Object.keys(numberWords).sort((a, b) => b.length - a.length).join('|')})\s+(?:of\s+)?(?:(?:different|distinct|unique|separate|more|new|khác|khac)\s+)?` +
    String.raw`(?:images?|pictures?|pics?|photos?|versions?|variations?|variants?|options?|drawings?|illustrations?|paintings?|renders?|wallpapers?|designs?|takes?|` +
    String.raw`(?:tấm|tam|bức|buc|cái|cai)\s+(?:ảnh|anh|hình|hinh|tranh)|ảnh|anh|hình|hinh|bức|buc|tấm|phiên bản|phien ban|biến thể|bien the|bản|mẫu|mau)` +
    String.raw`(?![\p{L}])(?:\s+(?:of|về|ve|của|cua)(?![\p{L}]))?`,
  'iu',
);

/** How many pictures the words ask for, and where they say it (to cut from the prompt); undefined when they don't. */
export function readPictureCount(text: string): { count: number; start: number; end: number } | undefined {
  const match = pictureCount.exec(text);
  if (!match) return undefined;
  const word = match[1]!.toLowerCase().replace(/\s+/g, ' ');
  const count = /^\d+$/.test(word) ? Number(word) : numberWords[word];
  // "an image of a cat" names one picture: nothing to set, but still words to cut.
  if (count === undefined || count < 1) return undefined;
  return { count, start: match.index, end: match.index + match[0].length };
}

/** The largest value a feature's count field accepts (its schema's `max`), or undefined without one. */
export function countLimit(feature: AnyFeature): number | undefined {
  const field = feature.chat.countField;
  if (!field || !(feature.input instanceof z.ZodObject)) return undefined;
  let schema = (feature.input.shape as Record<string, z.ZodType>)[field];
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
  return schema instanceof z.ZodNumber && Number.isFinite(schema.maxValue) ? (schema.maxValue as number) : undefined;
}

/**
 * Sets a feature's count field from the request's words ("create 2 images of a corgi" →
 * `num_images: 2`, clamped to the field's max) and cuts the count phrase from the prompt words
 * `text` ("a corgi") where it is in them. Features without a `chat.countField` get both back unchanged.
 */
export function applyPictureCount(feature: AnyFeature, words: string, text: string, input: Record<string, unknown>): { text: string; input: Record<string, unknown> } {
  const field = feature.chat.countField;
  const found = field ? readPictureCount(words) : undefined;
  if (!field || !found) return { text, input };
  const limit = countLimit(feature);
  const count = limit === undefined ? found.count : Math.min(found.count, limit);
  const inText = readPictureCount(text);
  const rest = inText ? `${text.slice(0, inText.start)} ${text.slice(inText.end)}`.replace(/\s{2,}/g, ' ').trim() : text;
  return { text: rest, input: { ...input, [field]: count } };
}

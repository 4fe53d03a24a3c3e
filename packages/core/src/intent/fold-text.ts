/** Lowercase without diacritics, so "Tạo ảnh" and "tao anh" compare equal. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** Common Vietnamese words as people type them without diacritics ("xoa nen giup minh"). */
const unaccentedVietnamese = new Set(
  'anh nay cho minh giup gium dum lam xoa nen tao hinh cua voi khong duoc roi nhe nhieu thanh sang ban toi phong chinh sua mau net mo buc tam cai kia hon dep trang den trong bo giong kieu phia tren duoi nguoi mot hai bon nam sau muoi ve tranh bien troi hoang dung chi thoi'.split(' '),
);

/**
 * Whether the text is Vietnamese: it uses Vietnamese letters, or (typed without diacritics) at least
 * two of its words, and two in five, are common Vietnamese words.
 */
export function looksVietnamese(text: string): boolean {
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return true;
  const words = foldText(text).match(/\p{L}+/gu) ?? [];
  const hits = words.filter((word) => unaccentedVietnamese.has(word)).length;
  return hits >= 2 && hits * 5 >= words.length * 2;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const phrasePatterns = new Map<string, RegExp>();

/** Finds a phrase as whole words; answers its index in `text` or -1. */
export function findPhrase(text: string, phrase: string): number {
  let pattern = phrasePatterns.get(phrase);
  if (!pattern) {
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])`, 'u');
    // Keywords come from the registered features: a bounded set, compiled once each.
    if (phrasePatterns.size < 10_000) phrasePatterns.set(phrase, pattern);
  }
  return pattern.exec(text)?.index ?? -1;
}

/** Lowercase without diacritics, so "Tạo ảnh" and "tao anh" compare equal. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** Whether the text uses Vietnamese letters. */
export function looksVietnamese(text: string): boolean {
  return /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text);
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

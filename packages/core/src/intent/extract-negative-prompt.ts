const patterns: RegExp[] = [
  /\b(?:without|with no|no|avoid|avoiding|exclude|excluding|minus)\s+(?:any\s+)?([^,.;!?]+?)(?=\s+(?:and|but)\s+(?:with|make|add)\b|[,.;!?]|$)/giu,
  /(?<![\p{L}])(?:không có|không được có|đừng có|không)\s+([^,.;!?]+?)(?=[,.;!?]|$)/giu,
];

/**
 * Splits "a beach at dusk without people, no text" into the prompt "a beach at dusk" and the
 * negative prompt "people, text".
 */
export function extractNegativePrompt(text: string): { text: string; negative?: string } {
  const negatives: string[] = [];
  let rest = text;
  for (const pattern of patterns) {
    rest = rest.replace(pattern, (_match, phrase: string) => {
      const cleaned = phrase.trim().replace(/^(?:the|a|an)\s+/i, '');
      if (cleaned) negatives.push(cleaned);
      return ' ';
    });
  }
  rest = rest.replace(/\s+([,.;!?])/g, '$1').replace(/[,;]\s*(?=[,;]|$)/g, '').replace(/\s{2,}/g, ' ').trim().replace(/[,;]$/, '').trim();
  return negatives.length > 0 ? { text: rest, negative: negatives.join(', ') } : { text: rest };
}

import { foldText } from '../intent/fold-text.js';
import type { AnyFeature } from '@darkroom/plugin-api';

/** A keyword two or more features declare: a message with it matches them all equally. */
export interface KeywordOverlap {
  /** The keyword as the first feature spells it. */
  keyword: string;
  /** Ids of the features that declare it (compared without case or Vietnamese diacritics), in registration order. */
  features: string[];
}

/**
 * Keywords declared by more than one feature. Neither feature wins such a keyword silently: the chat
 * router asks which one is meant, and engines report the overlaps at load so plugin authors see them.
 *
 * @example
 * findKeywordOverlaps([styleTransfer, bwFilm]); // [{ keyword: 'black and white', features: ['style-transfer', 'bw-film'] }]
 */
export function findKeywordOverlaps(features: AnyFeature[]): KeywordOverlap[] {
  const byKeyword = new Map<string, KeywordOverlap>();
  for (const feature of features) {
    for (const keyword of feature.intents.keywords) {
      const key = foldText(keyword).trim();
      const entry = byKeyword.get(key) ?? { keyword, features: [] };
      if (!entry.features.includes(feature.id)) entry.features.push(feature.id);
      byKeyword.set(key, entry);
    }
  }
  return [...byKeyword.values()].filter((entry) => entry.features.length > 1);
}

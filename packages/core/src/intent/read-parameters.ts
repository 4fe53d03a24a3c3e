import type { AnyFeature } from '@darkroom/plugin-api';
import { foldText } from './fold-text.js';

/**
 * The parameters a feature reads from the words (`intents.extract`), read from the words as written
 * and again without diacritics, so "gấp 3 lần" and "gap 3 lan" both give `{ scale: 3 }`; what the
 * written words give wins. Features write their Vietnamese patterns without diacritics to match both.
 */
export function readParameters(feature: AnyFeature, text: string): Record<string, unknown> {
  const extract = feature.intents.extract;
  if (!extract) return {};
  return { ...extract(foldText(text)), ...extract(text) };
}

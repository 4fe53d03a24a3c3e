import type { AnyFeature } from '../plugin/define-feature.js';
import { extractNegativePrompt } from './extract-negative-prompt.js';
import { findPhrase, foldText, looksVietnamese } from './fold-text.js';
import type { DetectedStep, Detection, IntentDetector } from './intent-detector.js';

/** Words that chain requests: "…, then …", "… and then …", "… rồi …", "… sau đó …". */
const stepSeparator =
  /\s*(?:[,;]?\s*\b(?:and\s+then|then|after\s+that|afterwards|next)\b|[,;]?\s*(?<![\p{L}])(?:rồi|sau đó|tiếp theo|xong thì|xong)(?![\p{L}])|;|\.\s+)\s*/giu;
/** "and"/"và" also chains two commands when a feature keyword follows it. */
const conjunction = /\s+(?:and|và|,)\s+/giu;
/** Pointing at an image the user has: "it", "this", "that image", "ảnh này", "nó". */
const imageReference = /(?<![\p{L}])(?:it|this|that|them|the (?:image|picture|photo|result)|this (?:image|picture|photo)|that (?:image|picture|photo)|ảnh này|hình này|ảnh đó|hình đó|bức ảnh|nó)(?![\p{L}])/iu;

const fillers = [
  /^(?:please|pls|can you|could you|would you|i want you to|i want to|i'd like to|i would like to|let's|hãy|làm ơn|giúp tôi|cho tôi|bạn hãy)\s+/iu,
  /^(?:me|for me|cho tôi|giúp tôi)\s+/iu,
  /^(?:an?|the|one|một)?\s*(?:new\s+)?(?:image|picture|photo|illustration|painting|drawing|artwork|wallpaper|ảnh|hình|bức ảnh|bức tranh|tấm ảnh|hình ảnh)\s+(?:of|showing|with|về|của)?\s*/iu,
];

interface Scored {
  feature: AnyFeature;
  score: number;
  /** End of the matched keyword in the clause, when it opens the clause (the command). */
  commandEnd?: number;
}

/** Score of one keyword: longer phrases are more specific; a command that opens the clause counts more. */
function keywordScore(keyword: string, atStart: boolean, exact: boolean): number {
  const words = keyword.trim().split(/\s+/).length;
  const base = words >= 3 ? 0.85 : words === 2 ? 0.78 : 0.66;
  return Math.min(0.97, base + (atStart ? 0.1 : 0) + (exact ? 0.02 : 0));
}

/** Each feature's keywords lowercased and folded, computed once per feature. */
const keywordForms = new WeakMap<AnyFeature, { keyword: string; lower: string; folded: string }[]>();

function keywordsOf(feature: AnyFeature) {
  let forms = keywordForms.get(feature);
  if (!forms) {
    forms = feature.intents.keywords.map((keyword) => ({ keyword, lower: keyword.toLowerCase(), folded: foldText(keyword) }));
    keywordForms.set(feature, forms);
  }
  return forms;
}

function scoreClause(clause: string, features: AnyFeature[]): Scored[] {
  const lower = clause.toLowerCase();
  const folded = foldText(clause);
  const lead = /^(?:\s*(?:please|pls|can you|could you|would you|hãy|làm ơn|giúp tôi|cho tôi|bạn hãy|now|also|and|và)\s+)*/iu.exec(lower)?.[0].length ?? 0;
  const scored: Scored[] = [];
  for (const feature of features) {
    let score = 0;
    let commandEnd: number | undefined;
    for (const { keyword, lower: lowerKeyword, folded: foldedKeyword } of keywordsOf(feature)) {
      const exactIndex = findPhrase(lower, lowerKeyword);
      const index = exactIndex >= 0 ? exactIndex : findPhrase(folded, foldedKeyword);
      if (index < 0) continue;
      const atStart = index <= lead + 1;
      score = Math.max(score, keywordScore(keyword, atStart, exactIndex >= 0));
      if (atStart) commandEnd = Math.max(commandEnd ?? 0, index + keyword.length);
    }
    if (score > 0) scored.push({ feature, score, ...(commandEnd !== undefined ? { commandEnd } : {}) });
  }
  return scored.sort((a, b) => b.score - a.score);
}

/** Enough of a clause's start to hold its leading fillers and a command keyword. */
const commandWindow = 200;

function splitClauses(message: string, features: AnyFeature[]): string[] {
  const clauses = message.split(stepSeparator).map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  // Split "generate a cat and upscale it" where a feature keyword opens the part after "and" and
  // one came before it. Only the start of each part is scored, and once a keyword was seen before
  // a cut it stays seen, so a long message of many "and"s is split in linear time.
  return clauses.flatMap((clause) => {
    const parts: string[] = [];
    let start = 0;
    let keywordBefore = false;
    for (const match of clause.matchAll(conjunction)) {
      const after = match.index + match[0].length;
      const opensWithCommand = scoreClause(clause.slice(after, after + commandWindow), features).some((scored) => scored.commandEnd !== undefined);
      if (!opensWithCommand) continue;
      keywordBefore ||= scoreClause(clause.slice(0, match.index), features).length > 0;
      if (!keywordBefore) continue;
      parts.push(clause.slice(start, match.index));
      start = after;
    }
    parts.push(clause.slice(start));
    return parts.map((part) => part.trim()).filter(Boolean);
  });
}

function stripCommand(clause: string, commandEnd: number | undefined): string {
  let text = commandEnd === undefined ? clause : clause.slice(commandEnd);
  for (const filler of fillers) text = text.trim().replace(filler, '');
  return text.trim().replace(/^[,:\-–]\s*/, '').replace(/[.!?]+$/, '').trim();
}

/**
 * The offline, rule-based intent detector: each feature's own English and Vietnamese keywords,
 * multi-step requests, image references and negative prompts.
 *
 * @example
 * const detection = await createRuleBasedDetector().detect('create a sunset, then upscale it 2x', { features });
 */
export function createRuleBasedDetector(): IntentDetector {
  return {
    name: 'rule-based',
    async detect(message, { features }): Promise<Detection> {
      const language = looksVietnamese(message) ? 'vi' : 'en';
      const text = message.normalize('NFC').replace(/\s+/g, ' ').trim();
      const steps: DetectedStep[] = [];
      for (const clause of splitClauses(text, features)) {
        const [best, second] = scoreClause(clause, features);
        if (!best) {
          // Words that select nothing continue the previous step ("…, with golden light").
          const previous = steps[steps.length - 1];
          if (previous) previous.text = `${previous.text}, ${clause}`.replace(/^, /, '');
          continue;
        }
        const ambiguous = second !== undefined && second.score >= best.score - 0.02;
        const feature = best.feature;
        let body = (feature.intents.strip ?? [])
          .reduce((text, pattern) => text.replace(pattern, ''), stripCommand(clause, best.commandEnd))
          .replace(/\s{2,}/g, ' ')
          .trim();
        let negativePrompt: string | undefined;
        if (feature.chat.negativePromptField) {
          const split = extractNegativePrompt(body);
          body = split.text;
          negativePrompt = split.negative;
        }
        steps.push({
          feature: feature.id,
          intent: feature.intents.name,
          confidence: Number((ambiguous ? best.score - 0.25 : best.score).toFixed(2)),
          input: feature.intents.extract?.(clause) ?? {},
          text: body,
          ...(negativePrompt ? { negativePrompt } : {}),
          refersToImage: imageReference.test(clause),
        });
      }
      const confidence = steps.length === 0 ? 0 : Math.min(...steps.map((step) => step.confidence));
      return { steps, confidence, detector: 'rule-based', language };
    },
  };
}

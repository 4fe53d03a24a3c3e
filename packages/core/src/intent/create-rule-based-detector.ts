import type { AnyFeature } from '@darkroom/plugin-api';
import { creationStep, createsPictures } from './creation-step.js';
import { extractNegativePrompt } from './extract-negative-prompt.js';
import { findPhrase, foldText, looksVietnamese } from './fold-text.js';
import type { DetectedStep, Detection, IntentDetector } from './intent-detector.js';
import { readParameters } from './read-parameters.js';
import { applyPictureCount } from './read-picture-count.js';

/** Words that chain requests: "…, then …", "… and then …", "… rồi …", "… sau đó …". */
const stepSeparator =
  /\s*(?:[,;]?\s*\b(?:and\s+then|then|after\s+that|afterwards|next)\b|[,;]?\s*(?<![\p{L}])(?:rồi|sau đó|tiếp theo|xong thì|xong)(?![\p{L}])|;|\.\s+)\s*/giu;
/** "and"/"và" also chains two commands when a feature keyword follows it. */
const conjunction = /\s+(?:and|và|,)\s+/giu;
/** Pointing at an image the user has: "it", "this", "that image", "ảnh này", "nó". */
const imageReference = /(?<![\p{L}])(?:it|this|that|them|the (?:image|picture|photo|result)|this (?:image|picture|photo)|that (?:image|picture|photo)|ảnh này|hình này|ảnh đó|hình đó|bức ảnh|nó)(?![\p{L}])/iu;

/** "nó", "ảnh này" typed without diacritics, read only in a Vietnamese message ("no" is English too). */
const unaccentedReference = /(?<![\p{L}])(?:no|anh nay|hinh nay|buc anh nay)(?![\p{L}])/u;

function refersToImage(clause: string, language: 'en' | 'vi'): boolean {
  return imageReference.test(clause) || (language === 'vi' && unaccentedReference.test(foldText(clause)));
}

/**
 * How people open a request: politeness, forum tags and filler ("[Request] Could someone please…",
 * "is it possible to…", "làm ơn giúp mình…"). Skipped before looking for the command.
 */
const politeLead =
  /^(?:\s*(?:\[[^\]]{1,30}\]|\([^)]{1,30}\)|request:?|hi|hello|hey|hi all|hello all|guys|please|pls|plz|kindly|now|also|and|và|just|quick|simple|so|ok|okay|can|could|would|will|you|someone|somebody|anyone|anybody|u|ya|y'all|help|me|us|i|we|need|want|wanted|would like|'d like|like|to|is it possible|it possible|possible|to have|someone to|anyone to|hãy|làm ơn|giúp|giùm|dùm|tôi|mình|em|cho|bạn|ai đó|ai|có thể|nhờ|vui lòng|xin|pls|chỉ|chi|chỉ cần|chi can)\s*[,!:]?\s+)*/iu;

const fillers = [
  politeLead,
  /^(?:me|for me|cho tôi|giúp tôi)\s+/iu,
  // Words that only point at the image ("… of this", "for my photo") are no prompt.
  /^(?:(?:of|for|on|to|from|in|của|cua|trong|cho)\s+)?(?:it|this|that|them|(?:the|this|that|my|our) (?:image|picture|photo|pic|result)s?|ảnh này|hình này|nó)(?=\s|[.!?,]|$)[.!?,]*(?:\s+(?:as|into|to|with|in|like|so it looks|so that it looks|thành|sang|với|kiểu)(?![\p{L}]))?\s*/iu,
  /^(?:an?|the|one|một)?\s*(?:new\s+)?(?:image|picture|photo|illustration|painting|drawing|artwork|wallpaper|ảnh|hình|bức ảnh|bức tranh|tấm ảnh|hình ảnh)\s+(?:of|showing|with|về|của)?\s*/iu,
];

/**
 * What the user says not to do: "don't remove the background, just sharpen it", "no need to
 * upscale", "đừng xóa nền, chỉ làm nét". The span runs from the negation to the next comma, "just",
 * "only", "but", "instead" (or "chỉ", "mà", "nhưng") and is not scored.
 */
const negation =
  /(?<![\p{L}])(?:don'?t|do not|doesn'?t|does not|never|no need to|not|without having to|đừng|chớ|không cần|không được|không muốn|(?:khong|không|dung)(?= (?:xóa|xoá|xoa|tách|tach|bỏ|bo|phóng|phong|làm|lam|đổi|doi|chuyển|chuyen|tạo|tao|vẽ|ve)(?![\p{L}])))(?![\p{L}])[^,.;!?]*?(?=\s*(?:[,.;!?]|$|(?<![\p{L}])(?:just|only|but|instead|rather|chỉ|chi|mà|nhưng|nhung)(?![\p{L}])))/giu;

/** The clause with what it says not to do blanked out (same length, so indexes still match). */
export function maskNegated(clause: string): string {
  return clause.replace(negation, (span) => ' '.repeat(span.length));
}

/** A clause that asks for a new picture: a creation verb opens it, or it says "new"/"another"/"mới". */
const creationVerb =
  /^(?:create|generate|draw|paint|design|illustrate|imagine|render|tạo|tao|vẽ|ve|sinh|thiết kế|thiet ke)(?![\p{L}])/iu;
const newPicture =
  /(?<![\p{L}])(?:new|another|fresh|from scratch|mới|moi)(?![\p{L}])|(?<![\p{L}])(?:make|give me|show me)\s+(?:me\s+)?(?:an?|some|\d+)\s+(?:image|picture|photo|illustration|drawing|painting|wallpaper)s?(?![\p{L}])/iu;

/** "Create a … effect / look / mood": a quality given to the photo, not a new picture. */
const aLook = /(?<![\p{L}])(?:effect|look|feel|feeling|sense of|vibe|mood|atmosphere|hiệu ứng|cảm giác)(?![\p{L}])/iu;

/** Small talk and questions, not descriptions of a picture. */
const notADescription =
  /\?\s*$|^(?:hi|hello|hey|thanks|thank you|ok|okay|yes|no|what|how|why|who|when|where|which|is|are|do|does|can|could|will|would|should|help|chào|xin chào|cảm ơn|cám ơn)(?![\p{L}])|(?<![\p{L}])(?:thế nào|the nao|là gì|la gi|gì không|được không|duoc khong|không\?|sao|tại sao|bao nhiêu)(?![\p{L}])/iu;

/** An edit no feature does, asked as a command ("replace the background with …", "thay nền …"): no description. */
const editCommand =
  /^(?:replace|swap|switch|change|put|add|insert|move|remove|erase|delete|fix|turn|convert|edit|crop|rotate|resize|make (?:me|him|her|us|them)|thay|đổi|doi|ghép|ghep|thêm|them|xóa|xoá|xoa|sửa|sua|làm cho|lam cho)(?![\p{L}])/iu;

/** Whether words that asked for no feature describe a picture: a few words, not small talk, a question or an edit command. */
export function looksLikeDescription(text: string): boolean {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/).filter(Boolean);
  return words.length >= 3 && !notADescription.test(trimmed) && !editCommand.test(trimmed.slice(politeLead.exec(trimmed)?.[0].length ?? 0));
}

/** The words right after a command that name the image itself: "… it", "… this photo", "… ảnh này". */
const actsOnImage = /^\s*(?:it|this|that|them|(?:the|this|that|my|our) (?:image|picture|photo|pic|result)s?|ảnh này|hình này|bức ảnh này|nó)(?![\p{L}])/iu;

interface Scored {
  feature: AnyFeature;
  score: number;
  /** The folded keyword that gave the score. */
  keyword: string;
  /** End of the matched keyword in the clause, when it opens the clause (the command). */
  commandEnd?: number;
  /** Where its first keyword not opening the clause is, and where that keyword ends. */
  firstIndex?: number;
  firstEnd?: number;
  /** Chosen as the object of this feature's command verb ("remove" + "the noise"). */
  objectOf?: AnyFeature;
  /** One of the feature's `verbs` opened the clause. */
  verbAtStart?: boolean;
  /** End of the feature's first verb inside the clause ("… by removing the noise"). */
  verbEnd?: number;
}

/**
 * Where a request restarts inside a sentence ("…, can someone relight it", "… could you please upscale
 * it", "… pls sharpen"): the word after it is a command as much as the first word of the message.
 */
const midRequest =
  /(?:^|[,.;:!?]\s*|\s)(?:so\s+)?(?:(?:can|could|would|will)\s+(?:someone|somebody|anyone|anybody|you|u|ya|y'all)\s+(?:please\s+|pls\s+|plz\s+|kindly\s+)?(?:just\s+)?|(?:please|pls|plz)\s+(?:just\s+)?|(?:i|we)\s+(?:just\s+)?(?:want|need|would like|'d like)\s+(?:you\s+|someone\s+)?(?:to\s+)?|(?:giúp|giùm|dùm|làm ơn|nhờ)\s+(?:mình|tôi|em|anh|chị)?\s*)/giu;

/** Score of one keyword: longer phrases are more specific; a command that opens the clause counts more. */
function keywordScore(keyword: string, atStart: boolean, exact: boolean): number {
  const words = keyword.trim().split(/\s+/).length;
  const base = words >= 3 ? 0.85 : words === 2 ? 0.78 : 0.66;
  // A command outranks a longer phrase describing the photo ("it's too dark, can someone relight it").
  return Math.min(0.97, base + (atStart ? 0.15 : 0) + (exact ? 0.02 : 0));
}

/** Each feature's keywords lowercased and folded, computed once per feature. */
const keywordForms = new WeakMap<AnyFeature, { keyword: string; lower: string; folded: string; verb: boolean }[]>();

function keywordsOf(feature: AnyFeature) {
  let forms = keywordForms.get(feature);
  if (!forms) {
    const verbs = new Set((feature.intents.verbs ?? []).map((verb) => verb.toLowerCase()));
    forms = [...new Set([...feature.intents.keywords, ...verbs])].map((keyword) => ({ keyword, lower: keyword.toLowerCase(), folded: foldText(keyword), verb: verbs.has(keyword.toLowerCase()) }));
    keywordForms.set(feature, forms);
  }
  return forms;
}

function scoreClause(clause: string, features: AnyFeature[]): Scored[] {
  const lower = maskNegated(clause.toLowerCase());
  const folded = maskNegated(foldText(clause));
  // Blanked negation ("đừng xóa nền, chỉ làm nét") and punctuation open no command; filler after them is skipped too.
  const opening = /^[\s,;:.!?–-]*/u.exec(lower)![0].length;
  const lead = opening + (politeLead.exec(lower.slice(opening))?.[0].length ?? 0);
  // Where a command may stand: after the opening filler, and after a request restarts mid-sentence.
  const commandStarts = [lead, ...[...lower.matchAll(midRequest)].map((match) => match.index + match[0].length)];
  const scored: Scored[] = [];
  for (const feature of features) {
    if (feature.intents.excludes?.test(lower)) continue;
    let score = 0;
    let verbAtStart = false;
    let verbEnd: number | undefined;
    let matched = '';
    let commandEnd: number | undefined;
    let firstIndex: number | undefined;
    let firstEnd: number | undefined;
    for (const { keyword, lower: lowerKeyword, folded: foldedKeyword, verb } of keywordsOf(feature)) {
      const exactIndex = findPhrase(lower, lowerKeyword);
      const index = exactIndex >= 0 ? exactIndex : findPhrase(folded, foldedKeyword);
      if (index < 0) continue;
      const atStart = commandStarts.some((start) => index >= start && index <= start + 1);
      const keywordValue = keywordScore(keyword, atStart, exactIndex >= 0);
      if (keywordValue > score) [score, matched] = [keywordValue, foldedKeyword];
      if (atStart && verb) verbAtStart = true;
      else if (verb && (verbEnd === undefined || index + keyword.length < verbEnd)) verbEnd = index + keyword.length;
      if (atStart) commandEnd = Math.max(commandEnd ?? 0, index + keyword.length);
      else if (firstIndex === undefined || index < firstIndex) {
        firstIndex = index;
        firstEnd = index + keyword.length;
      }
    }
    if (score > 0) scored.push({ feature, score, keyword: matched, ...(commandEnd !== undefined ? { commandEnd } : {}), ...(firstIndex !== undefined ? { firstIndex, firstEnd: firstEnd! } : {}), ...(verbAtStart ? { verbAtStart } : {}), ...(verbEnd !== undefined ? { verbEnd } : {}) });
  }
  scored.sort((a, b) => b.score - a.score);
  // A bare command verb names the action, the words after it name what it acts on: in "remove the
  // noise", "make the image sharper", the object ("noise", "sharper") picks the feature.
  const [best] = scored;
  // Not when an edit verb acts on the image itself ("reimagine it as a watercolor"): its words are then
  // a manner. A creation verb acting on the image ("make it sepia", "turn this photo into a sketch")
  // edits it: the words after it pick the edit. The object may score above its verb ("tạo 2 biến thể").
  const verb = scored.find(
    (entry) =>
      entry.commandEnd !== undefined && entry.firstIndex === undefined && (entry.verbAtStart || entry.score <= keywordScore('verb', true, true)) &&
      (createsPictures(entry.feature) || !actsOnImage.test(lower.slice(entry.commandEnd))),
  );
  // The object follows its verb, not a place named after it ("remove the man in the background").
  const follows = (other: Scored, verbEnd: number) => other.commandEnd === undefined && other.firstIndex !== undefined && other.firstIndex >= verbEnd && !placeWord.test(lower.slice(verbEnd, other.firstIndex));
  const asObjectOf = (object: Scored, of: Scored): Scored[] => [{ ...object, score: Math.max(object.score, of.score), objectOf: of.feature }, ...scored.filter((other) => other !== object)];
  if (best && verb && (best === verb || best.commandEnd === undefined)) {
    const object = best === verb ? scored.find((other) => other !== verb && follows(other, verb.commandEnd!)) : follows(best, verb.commandEnd!) ? best : undefined;
    if (object) return asObjectOf(object, verb);
  }
  // The same inside the clause: a verb and the object right after it ("clean up this image by removing the noise").
  const inner = best && best.commandEnd === undefined ? scored.find((entry) => entry.verbEnd !== undefined && entry.commandEnd === undefined) : undefined;
  const innerObject = inner && scored.find((other) => other !== inner && follows(other, inner.verbEnd!));
  if (inner && innerObject) return asObjectOf(innerObject, inner);
  // Of two words scored alike, a verb before its object ("… by removing noise").
  const second = scored[1];
  if (best && second && best.commandEnd === undefined && second.commandEnd === undefined && best.score <= keywordScore('verb', false, true) && second.score >= best.score - 0.02 && (second.firstIndex ?? -1) > (best.firstIndex ?? Infinity)) {
    return [{ ...second, score: best.score, objectOf: best.feature }, best, ...scored.slice(2)];
  }
  return scored;
}

/** Words that name where something is, not what a verb acts on. */
const placeWord = /(?<![\p{L}])(?:in|on|behind|near|beside|around|from|next to|across|trong|ở|phía|bên|sau|trước)(?![\p{L}])/iu;

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
      // Zero-width characters inside words ("up\u200Bscale") hide nothing.
      const text = message.normalize('NFC').replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
      const steps: DetectedStep[] = [];
      for (const clause of splitClauses(text, features)) {
        const scored = scoreClause(clause, features);
        const asksForNew =
          newPicture.test(maskNegated(clause)) || (creationVerb.test(clause.slice(politeLead.exec(clause)?.[0].length ?? 0)) && !imageReference.test(clause) && !aLook.test(clause));
        // "create a black and white cat": a picture that is asked for is created, whatever it shows, by
        // the creating feature that names what to create ("design a rose gold ring…" → a jewellery
        // design, a poster…) when there is one, else by the one whose verb asked.
        const creators = asksForNew ? scored.filter((entry) => createsPictures(entry.feature)) : [];
        const creator = creators.find((entry) => entry.commandEnd === undefined) ?? creators[0];
        if (creator) scored.splice(scored.indexOf(creator), 1), scored.unshift(creator);
        const [best, second] = scored;
        if (!best) {
          // Words that select nothing continue the previous step ("…, with golden light").
          const previous = steps[steps.length - 1];
          if (previous) {
            previous.text = `${previous.text}, ${clause}`.replace(/^, /, '');
            if (previous.description !== undefined) previous.description = `${previous.description}, ${clause}`.replace(/^, /, '');
            continue;
          }
          // A description with no command ("a red fox sitting in the snow, oil painting") asks
          // for that picture; the router asks instead when a photo is there to edit.
          const creating = features.find(createsPictures);
          if (creating && looksLikeDescription(clause)) {
            const body = stripCommand(clause, undefined);
            steps.push({
              ...creationStep(creating, body),
              confidence: 0.6,
              refersToImage: refersToImage(clause, language),
              description: body,
              asksForNew,
              alternatives: [],
            });
          }
          continue;
        }
        const ambiguous = second !== undefined && second.score >= best.score - 0.02 && !best.objectOf && best !== creator;
        // Features that declare the very keyword that decided (a plugin's "black and white" and the
        // built-in style's): none wins by registration order; the router asks which is meant.
        const tied = best !== creator ? scored.filter((entry) => entry !== best && entry.keyword === best.keyword && entry.score === best.score && !entry.objectOf) : [];
        const feature = best.feature;
        // The words after the command ("create …"), or after the object that picked it ("make 3 variations …").
        let body = (feature.intents.strip ?? [])
          .reduce((text, pattern) => text.replace(pattern, ''), stripCommand(clause, best.objectOf ? best.firstEnd : best.commandEnd))
          .replace(/\s{2,}/g, ' ')
          .trim();
        const counted = applyPictureCount(feature, maskNegated(clause), body, readParameters(feature, clause));
        body = counted.text;
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
          input: counted.input,
          text: body,
          ...(negativePrompt ? { negativePrompt } : {}),
          refersToImage: refersToImage(clause, language),
          // Not asked for by a command (a keyword inside a description): the words may describe a picture.
          ...(best.commandEnd === undefined && !best.objectOf ? { description: stripCommand(clause, undefined) } : {}),
          asksForNew,
          alternatives: scored.slice(1).map((entry) => entry.feature.id),
          ...(tied.length > 0 ? { tiedWith: tied.map((entry) => entry.feature.id) } : {}),
        });
      }
      const confidence = steps.length === 0 ? 0 : Math.min(...steps.map((step) => step.confidence));
      return { steps, confidence, detector: 'rule-based', language };
    },
  };
}

import { findPhrase, foldText } from '../intent/fold-text.js';
import { cutText, maxPromptLength, textLength } from '@darkroom/plugin-api';
import type { PromptRefiner, PromptValidation, Refinement } from './prompt-refiner.js';

const styleKeywords: Record<string, string[]> = {
  realistic: ['photorealistic', 'natural lighting', '35mm photograph'],
  cinematic: ['cinematic lighting', 'dramatic composition', 'film grain'],
  anime: ['anime style', 'cel shading', 'vibrant colors'],
  watercolor: ['watercolor painting', 'soft washes', 'paper texture'],
  'oil painting': ['oil painting', 'visible brush strokes', 'rich texture'],
  'digital art': ['digital art', 'concept art', 'crisp details'],
  sketch: ['pencil sketch', 'fine line work', 'cross-hatching'],
  '3d': ['3d render', 'octane render', 'global illumination'],
  minimalist: ['minimalist', 'clean composition', 'negative space'],
  vintage: ['vintage photo', 'faded colors', 'film look'],
};

const styleAliases: Record<string, string> = {
  photo: 'realistic', photograph: 'realistic', photorealistic: 'realistic', realistic: 'realistic', 'chân thực': 'realistic',
  cinematic: 'cinematic', movie: 'cinematic', 'điện ảnh': 'cinematic',
  anime: 'anime', manga: 'anime', cartoon: 'anime', 'hoạt hình': 'anime',
  watercolor: 'watercolor', 'màu nước': 'watercolor',
  'oil painting': 'oil painting', 'sơn dầu': 'oil painting',
  'digital art': 'digital art', 'concept art': 'digital art',
  sketch: 'sketch', pencil: 'sketch', 'phác thảo': 'sketch', 'bút chì': 'sketch',
  '3d': '3d', render: '3d', minimalist: 'minimalist', 'tối giản': 'minimalist', vintage: 'vintage', retro: 'vintage', 'cổ điển': 'vintage',
};

/** Subject words → keywords that usually improve such images. */
const subjectKeywords: Array<[string[], string[]]> = [
  [['sunset', 'sunrise', 'dusk', 'dawn', 'hoàng hôn', 'bình minh'], ['golden hour lighting', 'warm vibrant colors']],
  [['mountain', 'mountains', 'landscape', 'valley', 'núi', 'phong cảnh'], ['wide angle', 'dramatic sky']],
  [['portrait', 'face', 'person', 'woman', 'man', 'chân dung'], ['detailed face', 'soft studio lighting', 'shallow depth of field']],
  [['night', 'city', 'street', 'đêm', 'thành phố'], ['moody lighting', 'reflections']],
  [['cat', 'dog', 'animal', 'bird', 'mèo', 'chó'], ['detailed fur', 'expressive eyes']],
  [['food', 'dish', 'coffee', 'món ăn', 'cà phê'], ['appetizing', 'soft natural light', 'shallow depth of field']],
  [['ocean', 'sea', 'beach', 'biển', 'bãi biển'], ['crystal clear water', 'soft waves']],
  [['forest', 'tree', 'trees', 'rừng', 'cây'], ['dappled sunlight', 'lush greenery']],
];

/** Common Vietnamese subjects with their English words, added so that English-only models understand. */
const vietnameseTerms: Record<string, string> = {
  'hoàng hôn': 'sunset', 'bình minh': 'sunrise', núi: 'mountains', biển: 'sea', 'bãi biển': 'beach', mèo: 'cat', chó: 'dog',
  'thành phố': 'city', rừng: 'forest', hoa: 'flowers', 'bầu trời': 'sky', 'chân dung': 'portrait', đêm: 'night', sông: 'river',
  'cô gái': 'girl', 'phong cảnh': 'landscape', 'cà phê': 'coffee', 'ngôi nhà': 'house', 'xe hơi': 'car', 'con ngựa': 'horse',
};

const qualityKeywords = ['highly detailed', 'sharp focus', 'high quality'];
const defaultNegative = ['blurry', 'low quality', 'distorted', 'watermark', 'text artifacts'];
const lightingWords = ['light', 'lighting', 'lit', 'sun', 'glow', 'shadow', 'ánh sáng'];

const has = (text: string, phrase: string) => findPhrase(text.toLowerCase(), phrase.toLowerCase()) >= 0 || findPhrase(foldText(text), foldText(phrase)) >= 0;

function detectStyle(prompt: string): string | null {
  for (const [alias, style] of Object.entries(styleAliases)) if (has(prompt, alias)) return style;
  return null;
}

/**
 * Seed 002's rule-based refinement: quality and style keywords, subject hints, English words for
 * Vietnamese subjects, a negative prompt, suggestions and validation. Deterministic and offline.
 */
export function createRuleBasedRefiner(): PromptRefiner {
  const validate = async (prompt: string): Promise<PromptValidation> => {
    const text = typeof prompt === 'string' ? prompt.trim() : '';
    const words = text ? text.split(/\s+/).length : 0;
    const issues: string[] = [];
    const warnings: string[] = [];
    const suggestions: string[] = [];
    const length = textLength(text);
    if (!text) issues.push('The prompt is empty');
    else if (length < 3) issues.push('The prompt is too short to describe an image');
    if (length > maxPromptLength) issues.push(`The prompt is ${length} characters (Unicode code points) long; the limit is ${maxPromptLength}: shorten it`);
    if (text && !/[\p{L}\p{N}]/u.test(text)) issues.push('The prompt has no words');
    if (words > 0 && words < 4) suggestions.push('Add details about the subject, the setting and the mood');
    if (words > 0 && !detectStyle(text)) suggestions.push('Name a style (photorealistic, watercolor, anime, cinematic…)');
    if (words > 0 && !lightingWords.some((word) => has(text, word))) suggestions.push('Describe the lighting (golden hour, studio light, neon…)');
    const repeated = text.toLowerCase().split(/\s+/).filter((word, index, all) => word.length > 3 && all.indexOf(word) !== index);
    if (repeated.length > 2) warnings.push(`Repeated words: ${[...new Set(repeated)].join(', ')}`);
    return { valid: issues.length === 0, issues, warnings, suggestions, wordCount: words, characterCount: length };
  };

  return {
    name: 'rule-based',
    validate,
    async refine(prompt, context = {}): Promise<Refinement> {
      const started = performance.now();
      const original = prompt.replace(/\s+/g, ' ').trim();
      const added: string[] = [];
      const translated: string[] = [];
      const addKeyword = (keyword: string) => {
        if (!has(original, keyword) && !added.includes(keyword)) added.push(keyword);
      };
      for (const [term, english] of Object.entries(vietnameseTerms)) {
        if (findPhrase(original.toLowerCase(), term) >= 0 && !has(original, english)) translated.push(english);
      }
      const style = (context.style && (styleAliases[context.style.toLowerCase()] ?? context.style.toLowerCase())) || detectStyle(original);
      for (const keyword of (style && styleKeywords[style]) || []) addKeyword(keyword);
      for (const [subjects, keywords] of subjectKeywords) {
        if (subjects.some((subject) => has(original, subject))) keywords.forEach(addKeyword);
      }
      if (!/\b(?:detailed|high quality|hd|4k|8k|sharp)\b/i.test(original)) qualityKeywords.forEach(addKeyword);
      const subject = translated.length > 0 ? `${original} (${translated.join(', ')})` : original;
      const refined = [subject, ...added].join(', ');
      const negatives = [...(context.negativePrompt ? context.negativePrompt.split(/\s*,\s*/) : []), ...defaultNegative].filter(
        (term, index, all) => term && all.indexOf(term) === index,
      );
      const validation = await validate(original);
      const words = validation.wordCount;
      return {
        originalPrompt: prompt,
        refinedPrompt: cutText(refined, maxPromptLength),
        negativePrompt: negatives.join(', '),
        confidenceScore: Number(Math.min(0.95, 0.55 + 0.05 * Math.min(words, 6) + (style ? 0.05 : 0)).toFixed(2)),
        methodUsed: 'rule_based',
        durationMs: Number((performance.now() - started).toFixed(1)),
        suggestions: validation.suggestions,
        metadata: { style: style ?? null, addedKeywords: added, translatedTerms: translated },
      };
    },
  };
}

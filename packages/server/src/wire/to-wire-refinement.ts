import type { PromptValidation, Refinement } from '@darkroom/core';

/** A refinement as the API writes it (`Refinement`, seed 002's answer); `processing_time` in seconds. */
export interface WireRefinement {
  original_prompt: string;
  refined_prompt: string;
  negative_prompt: string;
  confidence_score: number;
  method_used: string;
  processing_time: number;
  suggestions: string[];
  metadata: { style: string | null; added_keywords: string[]; translated_terms: string[] };
}

/**
 * @example
 * toWireRefinement(await engine.prompt.refine('a cat')).refined_prompt;
 */
export function toWireRefinement(refinement: Refinement): WireRefinement {
  return {
    original_prompt: refinement.originalPrompt,
    refined_prompt: refinement.refinedPrompt,
    negative_prompt: refinement.negativePrompt,
    confidence_score: refinement.confidenceScore,
    method_used: refinement.methodUsed,
    processing_time: Number((refinement.durationMs / 1000).toFixed(4)),
    suggestions: refinement.suggestions,
    metadata: { style: refinement.metadata.style, added_keywords: refinement.metadata.addedKeywords, translated_terms: refinement.metadata.translatedTerms },
  };
}

/** A prompt's check as the API writes it (`PromptValidation`). */
export interface WirePromptValidation {
  valid: boolean;
  issues: string[];
  warnings: string[];
  suggestions: string[];
  word_count: number;
  character_count: number;
}

/**
 * @example
 * toWirePromptValidation(await engine.prompt.validate('a cat')).word_count; // 2
 */
export function toWirePromptValidation(validation: PromptValidation): WirePromptValidation {
  return {
    valid: validation.valid,
    issues: validation.issues,
    warnings: validation.warnings,
    suggestions: validation.suggestions,
    word_count: validation.wordCount,
    character_count: validation.characterCount,
  };
}

import type { refinement, validation } from '@darkroom/api';
import type { z } from 'zod';
import type { PromptValidation, Refinement } from '@darkroom/core';

/** A refinement as the API writes it (`Refinement`, seed 002's answer); `processing_time` in seconds. */
export type WireRefinement = Omit<z.output<typeof refinement>, 'intent'>;

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
export type WirePromptValidation = z.output<typeof validation>;

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

import type { PromptValidation, Refinement } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { toWirePromptValidation, toWireRefinement } from './to-wire-refinement.js';

describe('prompt wire format', () => {
  it("writes a refinement as seed 002's answer, its duration in seconds", () => {
    const refinement: Refinement = {
      originalPrompt: 'mèo', refinedPrompt: 'mèo (cat), detailed', negativePrompt: 'blurry', confidenceScore: 0.7, methodUsed: 'rule_based', durationMs: 1.25,
      suggestions: ['Name a style'], metadata: { style: null, addedKeywords: ['detailed'], translatedTerms: ['cat'] },
    };
    expect(toWireRefinement(refinement)).toStrictEqual({
      original_prompt: 'mèo', refined_prompt: 'mèo (cat), detailed', negative_prompt: 'blurry', confidence_score: 0.7, method_used: 'rule_based', processing_time: 0.0013,
      suggestions: ['Name a style'], metadata: { style: null, added_keywords: ['detailed'], translated_terms: ['cat'] },
    });
  });

  it('writes a validation', () => {
    const validation: PromptValidation = { valid: true, issues: [], warnings: ['Repeated words: cat'], suggestions: [], wordCount: 6, characterCount: 27 };
    expect(toWirePromptValidation(validation)).toStrictEqual({ valid: true, issues: [], warnings: ['Repeated words: cat'], suggestions: [], word_count: 6, character_count: 27 });
  });
});

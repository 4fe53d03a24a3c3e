export interface RefineContext {
  /** e.g. realistic, anime, watercolor, cinematic */
  style?: string;
  /** Extra things to avoid, merged into the negative prompt. */
  negativePrompt?: string;
  /** Aborts a refiner that calls a service. */
  signal?: AbortSignal;
}

/** The answer of `refine`, in the shape of seed 002's prompt-refinement API. */
export interface Refinement {
  original_prompt: string;
  refined_prompt: string;
  negative_prompt: string;
  confidence_score: number;
  method_used: string;
  processing_time: number;
  suggestions: string[];
  metadata: { style: string | null; added_keywords: string[]; translated_terms: string[] };
}

export interface PromptValidation {
  valid: boolean;
  issues: string[];
  warnings: string[];
  suggestions: string[];
  word_count: number;
  character_count: number;
}

/** Improves prompts before generation. The rule-based refiner is the offline default; LLM refiners implement the same interface. */
export interface PromptRefiner {
  readonly name: string;
  refine(prompt: string, context?: RefineContext): Promise<Refinement>;
  validate(prompt: string): Promise<PromptValidation>;
}

export const maxPromptLength = 2000;

export interface RefineContext {
  /** e.g. realistic, anime, watercolor, cinematic */
  style?: string;
  /** Extra things to avoid, merged into the negative prompt. */
  negativePrompt?: string;
  /** Aborts a refiner that calls a service. */
  signal?: AbortSignal;
}

/** The answer of `refine` (the HTTP server writes it as seed 002's prompt-refinement answer). */
export interface Refinement {
  originalPrompt: string;
  refinedPrompt: string;
  negativePrompt: string;
  /** 0..1 */
  confidenceScore: number;
  /** `rule_based`, or `provider:model` of the language model that refined it. */
  methodUsed: string;
  /** How long refining took. */
  durationMs: number;
  suggestions: string[];
  metadata: { style: string | null; addedKeywords: string[]; translatedTerms: string[] };
}

export interface PromptValidation {
  valid: boolean;
  issues: string[];
  warnings: string[];
  suggestions: string[];
  wordCount: number;
  /** Characters of the trimmed prompt, in Unicode code points (see `textLength`). */
  characterCount: number;
}

/** Improves prompts before generation. The rule-based refiner is the offline default; LLM refiners implement the same interface. */
export interface PromptRefiner {
  readonly name: string;
  refine(prompt: string, context?: RefineContext): Promise<Refinement>;
  validate(prompt: string): Promise<PromptValidation>;
}

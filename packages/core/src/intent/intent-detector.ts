import type { AnyFeature, ImagesAtHand, IntentTurn } from '@darkroom/plugin-api';

export interface DetectionContext {
  features: AnyFeature[];
  /** What the message can act on; unknown when absent (detectors then read the words alone). */
  images?: ImagesAtHand;
  /** Aborts a detector that calls a service (the chat job was cancelled). */
  signal?: AbortSignal;
  /** The session's last few messages, oldest first: language models read follow-ups against them. */
  history?: IntentTurn[];
}

/** One thing the user asked for, in the order asked. */
export interface DetectedStep {
  feature: string;
  intent: string;
  /** 0..1 */
  confidence: number;
  /** Parameters read from the words (e.g. `{ scale: 4 }`). */
  input: Record<string, unknown>;
  /** The words of this step with the command stripped: prompt material. */
  text: string;
  /** What the user said to leave out ("without people" → "people"). */
  negativePrompt?: string;
  /** The user pointed at an image ("it", "this image", "ảnh này"). */
  refersToImage: boolean;
  /**
   * Set when no command asked for this step (a feature's word inside a description, or no word at
   * all): the clause's words, usable as the description of a picture to create.
   */
  description?: string;
  /** Whether the words ask for a new picture ("create …", "draw …", "a new …"); unset: unknown. */
  asksForNew?: boolean;
  /** Other features the clause's words also matched, best first. */
  alternatives?: string[];
  /** Other features that declare the very keyword that chose this step: the router asks which is meant. */
  tiedWith?: string[];
  /**
   * Set by the router when the step revises the session's last run of its feature (the feature's
   * `chat.revises`): `input` already starts from that run's parameters.
   */
  revises?: boolean;
}

export interface Detection {
  steps: DetectedStep[];
  /** 0..1, the weakest step's confidence; 0 when nothing was recognised. */
  confidence: number;
  detector: string;
  language: 'en' | 'vi';
}

/**
 * Turns a message into steps. The rule-based detector is the offline default; LLM detectors see
 * each feature as a tool (`FeatureRegistry.tools()`) and implement the same interface.
 */
export interface IntentDetector {
  readonly name: string;
  detect(message: string, context: DetectionContext): Promise<Detection>;
}

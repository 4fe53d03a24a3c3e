import type { ImagesAtHand } from './images-at-hand.js';
import type { ImageData } from './image-data.js';

/** What a provider can do. Features ask for a capability; the provider manager picks who serves it. */
export interface CapabilitySpec {
  'text-to-image': {
    request: { prompt: string; width: number; height: number; count?: number } & GenerationOptions & ImageOutputOptions;
    result: ImageResultSpec;
  };
  'image-to-image': {
    request: { image: ImageData; prompt: string; strength?: number } & GenerationOptions & ImageOutputOptions;
    result: ImageResultSpec;
  };
  upscale: { request: { image: ImageData; scale: number; sharpen?: boolean } & ImageOutputOptions; result: ImageResultSpec };
  'remove-background': { request: { image: ImageData; maskOnly?: boolean; refineEdges?: boolean } & ImageOutputOptions; result: ImageResultSpec };
  /**
   * Fill what the mask marks. `method` asks a classic (non-generative) provider for its fill:
   * `patch` (the default: texture copied from the photo, PatchMatch completion) or `diffusion`
   * (a smooth blend of the surroundings, good for thin scratches); generative providers ignore it.
   */
  inpaint: { request: { image: ImageData; mask: ImageData; prompt?: string; method?: FillMethod } & GenerationOptions & ImageOutputOptions; result: ImageResultSpec };
  outpaint: { request: { image: ImageData; left: number; right: number; top: number; bottom: number; prompt?: string } & GenerationOptions & ImageOutputOptions; result: ImageResultSpec };
  relight: { request: { image: ImageData; direction: string; intensity: number; warmth?: number } & ImageOutputOptions; result: ImageResultSpec };
  'style-transfer': { request: { image: ImageData; style: string; strength?: number } & ImageOutputOptions; result: ImageResultSpec };
  enhance: { request: { image: ImageData; denoise?: number; sharpen?: number; autoLevels?: boolean } & ImageOutputOptions; result: ImageResultSpec };
  /**
   * An edit described in words ("Remove the man on the left and fill the area…"): the model reads
   * the image and the instruction and returns the edited image, the input's size.
   */
  edit: { request: { image: ImageData; instruction: string } & ImageOutputOptions; result: ImageResultSpec };
  caption: { request: { image: ImageData }; result: { text: string } };
  /** Intent detection by function calling: every feature is a tool; each call is one step, in order. */
  intent: { request: IntentRequestSpec; result: { calls: Array<{ name: string; args: Record<string, unknown> }>; text?: string } };
  /** Prompt refinement by a language model. */
  'refine-prompt': { request: { prompt: string; style?: string }; result: { refined: string; negative?: string } };
}

/**
 * What an intent-detecting model is told: the user's message, every feature as a tool, the images
 * the message can act on and the language to reply in. Providers put `images` and `language` into
 * their system instruction and each tool's examples into its description (`intentInstruction`,
 * `describeTool`).
 */
export interface IntentRequestSpec {
  message: string;
  tools: ToolSpec[];
  /** The images at hand when the message was sent; unknown when absent (the model reads the words alone). */
  images?: ImagesAtHand;
  /** The user's language, which any reply (a question, a refusal) is written in. */
  language?: 'en' | 'vi';
  /**
   * The conversation so far, oldest first (the engine sends the last few turns of the session): what
   * "it", "make it rose gold" or "the same but bigger" refer to. Providers send it as earlier turns of
   * the chat, the assistant's calls as function calls of the model.
   */
  history?: IntentTurn[];
}

/** One earlier message of a conversation as an intent model is shown it. */
export interface IntentTurn {
  role: 'user' | 'assistant';
  /** What was said: the user's words, or the assistant's reply. */
  text: string;
  /** For an assistant turn that ran features: each call (a feature id as the tool name) with the arguments it ran with. */
  calls?: Array<{ name: string; args: Record<string, unknown> }>;
}

/** A feature as a language model sees it: a function whose parameters are the feature's input JSON schema. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments; image fields (every field `imageFieldsOf` names) are left out: the conversation supplies images. */
  parameters: Record<string, unknown>;
  /** Example requests that select this tool, in the languages the feature understands. */
  examples?: string[];
  /** Words and phrases that select this tool (English and Vietnamese). */
  keywords?: string[];
  /** Keywords that name an action ("remove", "make"): another tool's keyword right after one (its object) selects that tool instead. */
  verbs?: string[];
  /** True when the tool changes the image at hand (attached or the session's), false when it creates a new picture. */
  worksOnImage?: boolean;
}

export type Capability = keyof CapabilitySpec;
export type CapabilityRequest<C extends Capability> = CapabilitySpec[C]['request'];
export type CapabilityResult<C extends Capability> = CapabilitySpec[C]['result'];
export type OutputFormat = 'png' | 'jpeg' | 'webp';

/** How a classic provider fills a hole: copying texture from the photo (`patch`) or blending it smooth (`diffusion`). */
export type FillMethod = 'patch' | 'diffusion';

/**
 * How a generative call samples (text-to-image, image-to-image, inpaint, outpaint): the parameters of
 * seed 003's images service (`negative_prompt`, `seed`, `guidance_scale`, `num_inference_steps`). All
 * optional: a provider maps those it has (Runware's `steps`/`CFGScale`, a local diffusion model's
 * sampler) and ignores the others; a classic (non-generative) provider ignores them all.
 */
export interface GenerationOptions {
  /** What the image should not show (classifier-free guidance's negative condition). */
  negativePrompt?: string;
  /** Seed of the initial noise, 0..2^31−1: the same request with the same seed gives the same image on the same provider. */
  seed?: number;
  /**
   * Denoising steps, 1..100 (`num_inference_steps`): more is slower and finer. Distilled models
   * (SD-Turbo, LCM) want 1–8; others about 20–50. Absent: the model's default.
   */
  steps?: number;
  /**
   * Classifier-free guidance scale, 0..30 (`guidance_scale`, Runware's `CFGScale`): how strictly the
   * image follows the prompt. About 5–9 for most models; at most 1 turns guidance off (as SD-Turbo
   * needs). Absent: the model's default.
   */
  guidance?: number;
}

/** How an image-producing call writes its result. Providers that cannot honour an option say so in the result's metadata. */
export interface ImageOutputOptions {
  /** Output format; providers default to the input's (PNG when it has none of these, or no input). */
  format?: OutputFormat;
  /**
   * Colour a transparent result is flattened on when the format has no alpha (JPEG): `#rrggbb` or
   * `#rgb`. Defaults to white. Formats with alpha keep the transparency and ignore it.
   */
  background?: string;
}

export const capabilities = [
  'text-to-image', 'image-to-image', 'upscale', 'remove-background', 'inpaint', 'outpaint',
  'relight', 'style-transfer', 'enhance', 'edit', 'caption', 'intent', 'refine-prompt',
] as const satisfies readonly Capability[];

/** What an image-producing provider call returns. */
export interface ImageResultSpec {
  images: ImageData[];
  /** Seed actually used, so the image can be re-run. */
  seed?: number;
  /** Provider-specific facts worth keeping (cost, request id, warnings). */
  metadata?: Record<string, unknown>;
}

import type { z } from 'zod';
import type { Capability, CapabilityRequest, CapabilityResult } from '../spec/capabilities.js';
import type { ImageData } from '../spec/image-data.js';
import type { ImageInput } from './image-input.js';
import { imageFeatureOutput, type ImageFeatureOutput } from './feature-output.js';

/** How the chat flow finds and fills a feature. Each feature declares its own words. */
export interface FeatureIntents {
  /** Intent code recorded in the gallery and messages, e.g. `image_upscale`. */
  name: string;
  /** Words and phrases in English and Vietnamese that select this feature. */
  keywords: string[];
  /** Example requests, shown in clarifying questions and given to LLM detectors. */
  examples: string[];
  /**
   * Keywords (each also in `keywords`) that name the action, not what it acts on: "remove", "get rid
   * of", "make". At the start of a request, another feature's keyword right after one (its object:
   * "get rid of the background", "remove the noise") picks that feature instead.
   */
  verbs?: string[];
  /**
   * Words that rule this feature out even when a keyword matched: "replace the background with a
   * beach" is not background removal. Tested on the lower-cased clause, negated spans blanked.
   */
  excludes?: RegExp;
  /**
   * Reads parameters out of the user's words (e.g. "4x" → `{ scale: 4 }`). Called with the words as
   * written and again without diacritics ("gap doi"), so Vietnamese patterns written without
   * diacritics match both; what the written words give wins.
   */
  extract?: (text: string) => Record<string, unknown>;
  /** Parameter phrases to cut from the prompt once extracted (e.g. "in 16:9", "seed 5"). */
  strip?: RegExp[];
}

/** Which input fields the chat flow fills for this feature. */
export interface FeatureChatBinding {
  /** Input field that takes the image the user means ("it", "this image", the previous step's image). */
  imageField?: string;
  /** Input field that takes the refined prompt. */
  promptField?: string;
  /** Input field that takes the extracted negative prompt ("without people"). */
  negativePromptField?: string;
  /** Input field that takes a mask sent with the chat message (white where to act). */
  maskField?: string;
  /**
   * String input field that takes words naming what to act on ("the guy on the left"), used when no
   * mask is sent and a provider offers `edit` (editing by instruction).
   */
  targetField?: string;
  /**
   * Integer input field that takes how many pictures the words ask for ("2 images of a corgi", "3
   * variations", "hai ảnh"); clamped to the field's `max`.
   */
  countField?: string;
  /**
   * Follow-ups revise this feature's last run in the session ("make it rose gold", "add a small
   * sapphire", "đổi sang vàng trắng"): when the session ran this feature within its last few turns,
   * a new request for it starts from the parameters that run had (seed and prompt included) instead
   * of from nothing, and is run as asked whatever image is at hand. `true`: what the new words give
   * replaces the previous value field by field. A function decides itself, from the previous
   * parameters, what the new words give (as the detector read them, before defaults) and the words,
   * and answers the input to run (`requested` alone for a new design that keeps nothing). Works the
   * same for the rule-based detector and language models.
   *
   * @example
   * chat: { revises: (previous, requested) => (requested.piece && requested.piece !== previous.piece ? requested : { ...previous, ...requested }) }
   */
  revises?: boolean | ((previous: Record<string, unknown>, requested: Record<string, unknown>, words: string) => Record<string, unknown>);
}

export interface ProviderCallOptions {
  provider?: string;
  model?: string;
  /**
   * Hears the provider's own progress of this call, in percent of the call (0..100), e.g. per
   * denoising step. Without it, the call's progress is reported as this feature's own progress
   * (`context.progress`), right for a feature that makes one call; a feature that makes several
   * maps each call into its share itself.
   *
   * @example
   * await context.call('image-to-image', request, { onProgress: (percent) => context.progress(((index + percent / 100) / count) * 100) });
   */
  onProgress?: (percent: number) => void;
}

/** What a feature may use while it runs. */
export interface FeatureContext {
  readonly userId: string;
  readonly signal: AbortSignal;
  readonly images: { load(input: ImageInput): Promise<ImageData> };
  /** Calls whichever provider the provider manager chooses, with fallback. */
  call<C extends Capability>(
    capability: C,
    request: CapabilityRequest<C>,
    options?: ProviderCallOptions,
  ): Promise<CapabilityResult<C> & { provider: string; model: string }>;
  /**
   * Reports how much of this feature's own work is done, in percent: 0..100 (not a 0..1 fraction),
   * non-decreasing. Values are clamped to 0..100; NaN and non-finite values are ignored, and so is a
   * value below one already reported. The engine maps it into the job's overall percent (the share
   * between the first provider call and the feature's result), and reports the stages it sees
   * itself, so a feature need not call this at all.
   *
   * @example
   * for (const [index, seed] of seeds.entries()) {
   *   images.push(await context.call('text-to-image', { prompt, width, height, seed }));
   *   context.progress(((index + 1) / seeds.length) * 100);
   * }
   */
  progress(percent: number): void;
}

export interface FeatureDefinition<Input extends z.ZodType = z.ZodType> {
  /** Stable id, e.g. `upscale`. */
  id: string;
  description: string;
  /** The provider capability this feature needs. */
  capability: Capability;
  /** Path segment of the direct route: `/v1/features/<route>`. Defaults to `id`. */
  route?: string;
  intents: FeatureIntents;
  chat?: FeatureChatBinding;
  input: Input;
  run(input: z.output<Input>, context: FeatureContext): Promise<ImageFeatureOutput>;
}

export interface Feature<Input extends z.ZodType = z.ZodType> extends FeatureDefinition<Input> {
  readonly kind: 'feature';
  readonly route: string;
  readonly output: typeof imageFeatureOutput;
  readonly chat: FeatureChatBinding;
}

export type AnyFeature = Feature<z.ZodType>;

const featureIdPattern = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Declares a feature. Typed identity plus checks that fail early, at definition time.
 *
 * @example
 * export const upscale = defineFeature({
 *   id: 'upscale', description: 'Increase image resolution', capability: 'upscale',
 *   intents: { name: 'image_upscale', keywords: ['upscale', 'phóng to'], examples: ['make this 4x bigger'] },
 *   chat: { imageField: 'image' },
 *   input: z.object({ image: imageInput, scale: z.union([z.literal(2), z.literal(4)]).default(2) }),
 *   run: async ({ image, scale }, ctx) => ctx.call('upscale', { image: await ctx.images.load(image), scale }).then(toFeatureOutput),
 * });
 */
export function defineFeature<Input extends z.ZodType>(definition: FeatureDefinition<Input>): Feature<Input> {
  if (!featureIdPattern.test(definition.id)) {
    throw new TypeError(`Feature id ${JSON.stringify(definition.id)} must be lowercase letters, digits and dashes`);
  }
  if (definition.intents.keywords.length === 0) {
    throw new TypeError(`Feature ${definition.id} must declare at least one intent keyword`);
  }
  return {
    ...definition,
    kind: 'feature',
    route: definition.route ?? definition.id,
    output: imageFeatureOutput,
    chat: definition.chat ?? {},
  };
}

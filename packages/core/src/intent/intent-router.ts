import { z } from 'zod';
import { imageFieldsOf, type AnyFeature, type Capability, type ImagesAtHand, type IntentTurn } from '@darkroom/plugin-api';
import { toFeatureTool } from '../registry/feature-registry.js';
import type { DetectedIntentRecord } from '../store/conversation-store.js';
import type { FeatureRegistry } from '../registry/feature-registry.js';
import type { PromptRefiner } from '../prompt/prompt-refiner.js';
import { creationStep, createsPictures } from './creation-step.js';
import { readParameters } from './read-parameters.js';
import { looksVietnamese } from './fold-text.js';
import type { Detection, IntentDetector } from './intent-detector.js';
import { claimFollowUp, reviseSteps } from './revise-steps.js';
import { featureWorkUnits } from '../registry/feature-work-units.js';

/** Steps one chat message may ask for unless the engine is told otherwise (`maxStepsPerTurn`). */
export const defaultMaxStepsPerTurn = 4;

/** Where a step's image comes from: a stored asset, or the first image an earlier step (by index) made. */
export type PlanImage = { assetId: string } | { step: number };

/** What the answer records of each detected step: feature, intent, confidence and the parameters read from the words. */
export function intentRecords(detection: Detection): DetectedIntentRecord[] {
  return detection.steps.map((step) => ({ intent: step.intent, feature: step.feature, confidence: step.confidence, parameters: step.input }));
}

/** Whether a feature's input may leave this field out. */
function optionalField(feature: AnyFeature, field: string): boolean {
  const schema = feature.input instanceof z.ZodObject ? (feature.input.shape as Record<string, z.ZodType>)[field] : undefined;
  return schema?.safeParse(undefined).success === true;
}

/** A feature's first example in the language asked for, else its first example. */
function exampleIn(feature: AnyFeature, language: 'en' | 'vi'): string | undefined {
  return feature.intents.examples.find((text) => looksVietnamese(text) === (language === 'vi')) ?? feature.intents.examples[0];
}

export interface PlanStep {
  feature: string;
  intent: string;
  confidence: number;
  input: Record<string, unknown>;
  image?: PlanImage;
}

/** What the router decided for one chat message. */
export interface ChatPlan {
  steps: PlanStep[];
  intents: DetectedIntentRecord[];
  confidence: number;
  detector: string;
  /** The language of the message; replies are written in it. */
  language: 'en' | 'vi';
  /** The first generative step's refined prompt, and its negative prompt. */
  refinedPrompt?: string;
  negativePrompt?: string;
  /** Set when nothing runs: the question to ask the user instead. */
  clarification?: string;
}

export interface PlanContext {
  /** The image sent with this message, else the session's latest image. */
  contextImageId?: string;
  /** A mask sent with this message. */
  maskImageId?: string;
  /** Whether the context image was sent with the message or is the session's; `attached` when unset and there is one. */
  images?: ImagesAtHand;
  /** Cancels detection and refinement when they call a service. */
  signal?: AbortSignal;
  /** What {@link IntentRouter.detect} found earlier for this message; detected again when absent. */
  detection?: Detection;
}

/**
 * Message → plan: detects intents, refines the prompt of generative steps, resolves which image
 * each step works on, and asks a clarifying question instead of guessing when unsure.
 */
export class IntentRouter {
  constructor(
    private readonly registry: FeatureRegistry,
    private readonly detector: IntentDetector,
    private readonly refiner: PromptRefiner,
    private readonly threshold = 0.5,
    /** More steps than this in one message are not run: the assistant asks to split the request. */
    readonly maxSteps = defaultMaxStepsPerTurn,
    /**
     * Whether some provider serves a capability now. With `edit` served, a feature's `targetField`
     * takes the words naming what to act on when no mask was sent ("remove the guy on the left").
     */
    private readonly offers?: (capability: Capability) => boolean,
  ) {}

  /**
   * The steps a message asks for, before any prompt is refined or anything runs. With the session's
   * `history` (oldest first), a language model reads the message as a follow-up, a request that only
   * says how to change the last run of a revising feature is that feature's ({@link claimFollowUp}),
   * and a step of a feature that revises its last run (`chat.revises`) starts from that run's arguments.
   */
  async detect(message: string, options: { signal?: AbortSignal; images?: ImagesAtHand; history?: IntentTurn[] } = {}): Promise<Detection> {
    const detection = await this.detector.detect(message, { features: this.registry.list(), ...options });
    if (!options.history?.length) return detection;
    const claimed = claimFollowUp(detection, this.registry, options.history, message);
    return reviseSteps(claimed, (id) => this.registry.get(id), options.history, message);
  }

  /** Whether {@link detect} reads the session's history: a language model may detect, or a feature revises its last run. */
  readsHistory(): boolean {
    return this.offers?.('intent') === true || this.registry.list().some((feature) => feature.chat.revises);
  }

  /**
   * The work units a turn with this detection costs, known before it runs: each step's
   * (`featureWorkUnits`: one per image it asks for), and 1 for a turn that only replies (nothing
   * recognised, or more steps than {@link maxSteps}).
   */
  cost(detection: Detection): number {
    if (detection.steps.length > this.maxSteps) return 1;
    return Math.max(1, detection.steps.reduce((sum, step) => sum + featureWorkUnits(this.registry.get(step.feature), step.input), 0));
  }

  async plan(message: string, context: PlanContext): Promise<ChatPlan> {
    const signal = context.signal ? { signal: context.signal } : {};
    const images = context.images ?? { image: context.contextImageId ? 'attached' : 'none', mask: Boolean(context.maskImageId) };
    const detection = this.resolve(context.detection ?? (await this.detect(message, { ...signal, images })), Boolean(context.contextImageId));
    const intents = intentRecords(detection);
    const base = { intents, confidence: detection.confidence, detector: detection.detector, language: detection.language };
    // The one place the step cap is applied: every detector's plan (rule-based or LLM) passes here.
    if (detection.steps.length > this.maxSteps) {
      return { ...base, steps: [], clarification: this.askToSplit(detection) };
    }
    const tie = detection.steps.find((step) => step.tiedWith?.length);
    if (tie) return { ...base, steps: [], clarification: this.askWhichOne(detection.language, [tie.feature, ...tie.tiedWith!]) };
    if (detection.steps.length === 0 || detection.confidence < this.threshold) {
      return { ...base, steps: [], clarification: this.clarify(detection.language, detection.steps.length > 0) };
    }
    const steps: PlanStep[] = [];
    let refined: string | undefined;
    let negative: string | undefined;
    for (const [index, detected] of detection.steps.entries()) {
      const feature = this.registry.get(detected.feature);
      const input: Record<string, unknown> = { ...detected.input };
      const { promptField, negativePromptField, imageField, maskField, targetField } = feature.chat;
      if (maskField) {
        // No mask: the object named in words, on a provider that edits by instruction; else ask for a mask.
        const target = detected.text.trim();
        if (context.maskImageId) {
          // A mask sent wins over words a detector read as the target (the feature takes one of them).
          input[maskField] = { asset_id: context.maskImageId };
          if (targetField) delete input[targetField];
        }
        else if (targetField && target && this.offers?.('edit')) input[targetField] = target;
        else return { ...base, steps: [], clarification: this.askForMask(detection.language) };
      }
      // An edit's prompt is optional ("make 3 variations of this"); a picture to create needs a subject,
      // unless its feature says what to draw otherwise (an optional prompt) or a revised run had one.
      if (promptField && (detected.text || !imageField)) {
        if (!detected.text) {
          if (input[promptField] === undefined && !optionalField(feature, promptField)) return { ...base, steps: [], clarification: this.askForSubject(detection.language) };
        } else {
          const refinement = await this.refiner.refine(detected.text, { ...(detected.negativePrompt ? { negativePrompt: detected.negativePrompt } : {}), ...signal });
          input[promptField] = refinement.refinedPrompt;
          if (negativePromptField) input[negativePromptField] = refinement.negativePrompt;
          refined ??= refinement.refinedPrompt;
          negative ??= refinement.negativePrompt;
        }
      }
      // A seed fixed in the plan (a checkpointed step), so a re-run draws the same image and the answer can say which.
      if (feature.input instanceof z.ZodObject && 'seed' in feature.input.shape && input.seed === undefined) input.seed = Math.floor(Math.random() * 2_147_483_647);
      const step: PlanStep = { feature: feature.id, intent: detected.intent, confidence: detected.confidence, input };
      if (imageField) {
        const previous = steps[index - 1];
        if (previous) step.image = { step: index - 1 };
        else if (context.contextImageId) step.image = { assetId: context.contextImageId };
        else return { ...base, steps: [], clarification: this.askForImage(detection.language) };
      }
      // Ask now rather than fail later: no provider serves the feature, or the words gave it input it refuses.
      const usesTarget = targetField !== undefined && input[targetField] !== undefined;
      if (this.offers && !usesTarget && !this.offers(feature.capability)) {
        return { ...base, steps: [], clarification: this.noProvider(detection.language, feature) };
      }
      const problem = this.invalidInput(feature, input);
      if (problem) return { ...base, steps: [], clarification: this.askToFix(detection.language, feature, problem) };
      steps.push(step);
    }
    // What each step runs with, as the answer reports it (image references apart).
    const ran = steps.map((step, index) => {
      const images = new Set(imageFieldsOf(this.registry.get(step.feature).input).map((field) => field.name));
      const parameters = Object.fromEntries(Object.entries(step.input).filter(([name]) => !images.has(name)));
      return { ...intents[index]!, parameters };
    });
    return { ...base, intents: ran, steps, ...(refined ? { refinedPrompt: refined } : {}), ...(negative ? { negativePrompt: negative } : {}) };
  }

  /**
   * Reads the detected steps against the images at hand. With no image, a step whose feature needs
   * one but was not commanded ("a black and white cat in a sink") describes a picture to create.
   * With an image (sent, or the session's latest), a step that would create a new picture without
   * being asked to ("make this photo less blurry") edits the image instead: the first matching
   * feature that takes an image, else nothing runs and the reply asks what to do.
   */
  private resolve(detection: Detection, hasImage: boolean): Detection {
    const features = this.registry.list();
    const creating = features.find(createsPictures);
    const steps: Detection['steps'] = [];
    for (const [index, step] of detection.steps.entries()) {
      // A revision of the feature's last run is what was asked for, whatever images are at hand.
      if (step.revises) {
        steps.push(step);
        continue;
      }
      const feature = this.registry.get(step.feature);
      const imageAtHand = index > 0 || hasImage;
      if (!imageAtHand && feature.chat.imageField && step.description !== undefined && !step.refersToImage && creating && detection.steps.length === 1) {
        steps.push({ ...step, ...creationStep(creating, step.description), alternatives: [step.feature, ...(step.alternatives ?? [])] });
        continue;
      }
      if (imageAtHand && !feature.chat.imageField && step.asksForNew === false) {
        const edit = (step.alternatives ?? []).map((id) => features.find((candidate) => candidate.id === id)).find((candidate) => candidate?.chat.imageField);
        if (!edit) return { ...detection, steps: [], confidence: 0 };
        steps.push({ ...step, feature: edit.id, intent: edit.intents.name, input: readParameters(edit, step.text) });
        continue;
      }
      steps.push(step);
    }
    return { ...detection, steps };
  }

  private clarify(language: 'en' | 'vi', partial: boolean): string {
    // A Vietnamese menu shows each feature's Vietnamese example (descriptions are English).
    const lines = this.registry.list().map((feature) => {
      const example = exampleIn(feature, language) ?? feature.intents.keywords[0];
      return language === 'vi' ? `• "${example}" (${feature.id})` : `• ${feature.description} — e.g. "${example}"`;
    });
    const opening =
      language === 'vi'
        ? 'Mình chưa chắc bạn muốn làm gì. Mình có thể:'
        : partial
          ? "I'm not sure I understood which of these you want. I can:"
          : "I'm not sure what you'd like me to do. I can:";
    const closing = language === 'vi' ? 'Bạn muốn làm gì?' : 'Which would you like?';
    return [opening, ...lines, closing].join('\n');
  }

  private askWhichOne(language: 'en' | 'vi', ids: string[]): string {
    const lines = ids.map((id) => {
      const feature = this.registry.get(id);
      const example = exampleIn(feature, language);
      return `• ${feature.description} (${feature.id})${example ? ` — e.g. "${example}"` : ''}`;
    });
    return language === 'vi'
      ? ['Yêu cầu này khớp với nhiều tính năng. Bạn muốn dùng tính năng nào?', ...lines].join('\n')
      : ['That matches more than one feature. Which one do you mean?', ...lines].join('\n');
  }

  /** The first thing a feature's schema refuses in what the words gave it (each required image field not filled yet stands in as an asset id), or undefined. */
  private invalidInput(feature: AnyFeature, input: Record<string, unknown>): { field: string; message: string; options?: unknown[] } | undefined {
    const candidate = { ...input };
    const shape = (feature.input as z.ZodObject).shape as Record<string, z.ZodType>;
    for (const { name, list } of imageFieldsOf(feature.input)) {
      const planned = { asset_id: 'ast_planned' };
      if (candidate[name] === undefined && !shape[name]!.safeParse(undefined).success) candidate[name] = list ? [planned] : planned;
    }
    const parsed = feature.input.safeParse(candidate);
    if (parsed.success) return undefined;
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'input');
    const property = (toFeatureTool(feature).parameters as { properties?: Record<string, { enum?: unknown[]; description?: string }> }).properties?.[field];
    // A field the words did not fill is described ("A preset (noir, sepia, …)"), not reported as a type error.
    const message = candidate[field] === undefined && property?.description ? property.description : issue.message;
    return { field, message, ...(property?.enum ? { options: property.enum } : {}) };
  }

  private askToFix(language: 'en' | 'vi', feature: AnyFeature, problem: { field: string; message: string; options?: unknown[] }): string {
    const example = exampleIn(feature, language);
    const what = problem.options ? (language === 'vi' ? `một trong ${problem.options.join(', ')}` : `one of ${problem.options.join(', ')}`) : problem.message;
    return language === 'vi'
      ? `Mình hiểu bạn muốn dùng ${feature.id}, nhưng cần rõ ${problem.field}: ${what}.${example ? ` Ví dụ: "${example}".` : ''}`
      : `I understood ${feature.id} (${feature.description}), but I need ${problem.field}: ${what}.${example ? ` For example: "${example}".` : ''}`;
  }

  private noProvider(language: 'en' | 'vi', feature: AnyFeature): string {
    return language === 'vi'
      ? `Máy chủ này chưa có nhà cung cấp nào cho ${feature.id} (${feature.capability}). Hãy nhờ người quản trị cấu hình một nhà cung cấp, hoặc chọn việc khác.`
      : `This server has no provider for ${feature.id} (${feature.description}; capability ${feature.capability}). Ask its operator to configure one, or ask for something else.`;
  }

  private askToSplit({ steps, language }: Detection): string {
    const counts = new Map<string, number>();
    for (const step of steps) counts.set(step.feature, (counts.get(step.feature) ?? 0) + 1);
    const asked = [...counts].map(([feature, count]) => `${feature} ×${count}`).join(', ');
    return language === 'vi'
      ? `Tin nhắn này yêu cầu ${steps.length} bước (${asked}); mỗi tin nhắn mình chỉ làm tối đa ${this.maxSteps} bước. Hãy chia yêu cầu thành nhiều tin nhắn, mỗi tin tối đa ${this.maxSteps} bước.`
      : `This message asks for ${steps.length} steps (${asked}); I run at most ${this.maxSteps} steps per message. Please split the request into messages of at most ${this.maxSteps} steps each.`;
  }

  private askForImage(language: 'en' | 'vi'): string {
    return language === 'vi'
      ? 'Bạn muốn dùng ảnh nào? Hãy gửi một ảnh hoặc nhờ mình tạo ảnh trước.'
      : 'Which image should I use? Send an image, or ask me to create one first.';
  }

  private askForMask(language: 'en' | 'vi'): string {
    return language === 'vi'
      ? 'Hãy gửi kèm một mặt nạ (mask): màu trắng ở vật cần xóa, màu đen ở phần còn lại.'
      : 'Send a mask with your message: white where the object to remove is, black elsewhere.';
  }

  private askForSubject(language: 'en' | 'vi'): string {
    return language === 'vi' ? 'Bạn muốn ảnh về chủ đề gì?' : 'What should the image show?';
  }
}

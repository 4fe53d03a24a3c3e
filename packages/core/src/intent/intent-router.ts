import type { DetectedIntentRecord } from '../store/message-store.js';
import type { FeatureRegistry } from '../registry/feature-registry.js';
import type { PromptRefiner } from '../prompt/prompt-refiner.js';
import type { IntentDetector } from './intent-detector.js';

/** Where a step's image comes from. */
export type PlanImage = { asset_id: string } | { step: number };

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
  refined_prompt?: string;
  negative_prompt?: string;
  /** Set when nothing runs: the question to ask the user instead. */
  clarification?: string;
}

export interface PlanContext {
  /** The image sent with this message, else the session's latest image. */
  contextImageId?: string;
  /** A mask sent with this message. */
  maskImageId?: string;
  /** Cancels detection and refinement when they call a service. */
  signal?: AbortSignal;
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
  ) {}

  async plan(message: string, context: PlanContext): Promise<ChatPlan> {
    const signal = context.signal ? { signal: context.signal } : {};
    const detection = await this.detector.detect(message, { features: this.registry.list(), ...signal });
    const intents = detection.steps.map((step) => ({ intent: step.intent, feature: step.feature, confidence: step.confidence }));
    const base = { intents, confidence: detection.confidence, detector: detection.detector };
    if (detection.steps.length === 0 || detection.confidence < this.threshold) {
      return { ...base, steps: [], clarification: this.clarify(detection.language, detection.steps.length > 0) };
    }
    const steps: PlanStep[] = [];
    let refined: string | undefined;
    let negative: string | undefined;
    for (const [index, detected] of detection.steps.entries()) {
      const feature = this.registry.get(detected.feature);
      const input: Record<string, unknown> = { ...detected.input };
      const { promptField, negativePromptField, imageField, maskField } = feature.chat;
      if (maskField) {
        if (!context.maskImageId) return { ...base, steps: [], clarification: this.askForMask(detection.language) };
        input[maskField] = { asset_id: context.maskImageId };
      }
      if (promptField) {
        if (!detected.text) {
          return { ...base, steps: [], clarification: this.askForSubject(detection.language) };
        }
        const refinement = await this.refiner.refine(detected.text, { ...(detected.negativePrompt ? { negativePrompt: detected.negativePrompt } : {}), ...signal });
        input[promptField] = refinement.refined_prompt;
        if (negativePromptField) input[negativePromptField] = refinement.negative_prompt;
        refined ??= refinement.refined_prompt;
        negative ??= refinement.negative_prompt;
      }
      const step: PlanStep = { feature: feature.id, intent: detected.intent, confidence: detected.confidence, input };
      if (imageField) {
        const previous = steps[index - 1];
        if (previous) step.image = { step: index - 1 };
        else if (context.contextImageId) step.image = { asset_id: context.contextImageId };
        else return { ...base, steps: [], clarification: this.askForImage(detection.language) };
      }
      steps.push(step);
    }
    return { ...base, steps, ...(refined ? { refined_prompt: refined } : {}), ...(negative ? { negative_prompt: negative } : {}) };
  }

  private clarify(language: 'en' | 'vi', partial: boolean): string {
    const lines = this.registry.list().map((feature) => `• ${feature.description} — e.g. "${feature.intents.examples[0] ?? feature.intents.keywords[0]}"`);
    const opening =
      language === 'vi'
        ? 'Mình chưa chắc bạn muốn làm gì. Mình có thể:'
        : partial
          ? "I'm not sure I understood which of these you want. I can:"
          : "I'm not sure what you'd like me to do. I can:";
    const closing = language === 'vi' ? 'Bạn muốn làm gì?' : 'Which would you like?';
    return [opening, ...lines, closing].join('\n');
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

import { z } from 'zod';
import { createRuleBasedDetector } from '../intent/create-rule-based-detector.js';
import { creationStep, createsPictures } from '../intent/creation-step.js';
import { defineFeature, type ImagesAtHand, type AnyFeature, type IntentTurn } from '@darkroom/plugin-api';
import type { DetectedStep } from '../intent/intent-detector.js';
import { stepHints } from '../intent/intent-instruction.js';

/** An intent request as a fake provider reads it off the wire, whatever the protocol. */
export interface WireIntentRequest {
  /** The user's words (the last user message / content part). */
  message: string;
  /** The system instruction, as sent. */
  instruction: string;
  /** The declared functions: name, description as sent, JSON-schema parameters. */
  tools: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>;
  /** The earlier turns sent with the message, oldest first (the assistant's function calls as `calls`). */
  history?: IntentTurn[];
}

/** One function call the fake model answers with. */
export interface WireCall {
  name: string;
  args: Record<string, unknown>;
}

/** A fake model's policy: the calls it answers a wire request with. */
export type WireIntentPolicy = (request: WireIntentRequest) => WireCall[] | Promise<WireCall[]>;

/** The images at hand as the instruction states them; undefined when it does not say. */
export function readImagesAtHand(instruction: string): ImagesAtHand | undefined {
  const sentence = /Images at hand: ([^\n]*)/.exec(instruction)?.[1];
  if (!sentence) return undefined;
  const image = /a photo is attached/.test(sentence) ? 'attached' : /latest image is at hand/.test(sentence) ? 'session' : 'none';
  return { image, mask: /a mask was sent/.test(sentence) };
}

/** A quoted list on a line of a tool description ("Keywords: \"upscale\", \"phóng to\""); empty when absent. */
function quotedList(description: string, label: string): string[] {
  const line = new RegExp(`^${label}: (.*)$`, 'm').exec(description)?.[1];
  if (!line) return [];
  try {
    return (JSON.parse(`[${line}]`) as unknown[]).filter((item): item is string => typeof item === 'string');
  } catch {
    return [];
  }
}

/** Where a call puts the step's words: the first of these string parameters the tool declares. */
const textParameters = ['prompt', 'target', 'instruction'];

interface WireTool {
  feature: AnyFeature;
  properties: Record<string, unknown>;
  textParameter?: string;
}

/** A feature rebuilt from what the wire says about a tool: its words, examples, parameters and whether it works on an image. */
function featureFromWire(tool: WireIntentRequest['tools'][number]): WireTool | undefined {
  const description = tool.description ?? '';
  const keywords = quotedList(description, 'Keywords');
  if (keywords.length === 0) return undefined;
  const properties = ((tool.parameters as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, unknown>;
  const textParameter = textParameters.find((name) => name in properties);
  const feature = defineFeature({
    id: tool.name,
    description: description.split('\n')[0] ?? tool.name,
    capability: 'text-to-image',
    intents: { name: tool.name, keywords, verbs: quotedList(description, 'Action verbs'), examples: quotedList(description, 'Examples') },
    chat: {
      ...(/Works on the image at hand\./.test(description) ? { imageField: 'image' } : {}),
      ...(textParameter === 'prompt' ? { promptField: 'prompt' } : {}),
      ...('negative_prompt' in properties ? { negativePromptField: 'negative_prompt' } : {}),
    },
    input: z.object({}),
    run: () => Promise.reject(new Error('a tool rebuilt from the wire does not run')),
  }) as unknown as AnyFeature;
  return { feature, properties, ...(textParameter ? { textParameter } : {}) };
}

/**
 * A deterministic stand-in for a function-calling model, for the loopback fakes: it reads only the
 * wire request. The tools' keywords and examples (from their descriptions) become features for the
 * offline rule-based detector, which reads the user's words; the images at hand (from the system
 * instruction) then decide what a model would: with no image, a description of a picture creates
 * it; with an image, a change the words ask for edits it. A request that does not carry the
 * keywords or the images at hand gets worse answers, so an evaluation through a fake measures the
 * plumbing (what reaches the model), not the quality of any real model.
 *
 * @example
 * const fake = await startFakeGemini({ intent: answerIntentFromWire });
 */
export async function answerIntentFromWire(request: WireIntentRequest): Promise<WireCall[]> {
  const tools = request.tools.map(featureFromWire).filter((tool): tool is WireTool => tool !== undefined);
  const features = tools.map((tool) => tool.feature);
  const byId = new Map(tools.map((tool) => [tool.feature.id, tool]));
  const images = readImagesAtHand(request.instruction);
  const detection = await createRuleBasedDetector().detect(request.message, { features, ...(images ? { images } : {}) });
  let steps: DetectedStep[] = detection.steps;
  const [first] = steps;
  if (images && first) {
    const feature = byId.get(first.feature)!.feature;
    const creating = features.find(createsPictures);
    if (images.image === 'none' && feature.chat.imageField && first.description !== undefined && !first.refersToImage && creating && steps.length === 1) {
      steps = [{ ...first, ...creationStep(creating, first.description) }];
    } else if (images.image !== 'none' && !feature.chat.imageField && first.asksForNew === false) {
      const edit = (first.alternatives ?? []).map((id) => byId.get(id)?.feature).find((candidate) => candidate?.chat.imageField);
      steps = edit ? [{ ...first, feature: edit.id }, ...steps.slice(1)] : [];
    }
  }
  return steps.map((step) => {
    const { properties, textParameter } = byId.get(step.feature)!;
    const declared = (name: string, value: unknown) => (name in properties && value !== undefined ? { [name]: value } : {});
    return {
      name: step.feature,
      args: {
        ...(textParameter && step.text ? { [textParameter]: step.text } : {}),
        ...declared('negative_prompt', step.negativePrompt),
        ...declared(stepHints.asksForNew, step.asksForNew),
        ...declared(stepHints.refersToImage, step.refersToImage),
        ...declared(stepHints.confidence, step.confidence),
      },
    };
  });
}

import type { AnyFeature } from '@darkroom/plugin-api';
import { extractNegativePrompt } from './extract-negative-prompt.js';
import type { DetectedStep } from './intent-detector.js';
import { readParameters } from './read-parameters.js';
import { applyPictureCount } from './read-picture-count.js';

/** Whether a feature creates pictures from words: it takes a prompt and no image (e.g. `generate`). */
export function createsPictures(feature: AnyFeature): boolean {
  return Boolean(feature.chat.promptField) && !feature.chat.imageField;
}

/**
 * The parts of a step that make `feature` create the picture `description` describes: the feature,
 * its intent, parameters read from the words, the prompt and (where the feature takes one) the
 * negative prompt ("without people").
 */
export function creationStep(feature: AnyFeature, description: string): Pick<DetectedStep, 'feature' | 'intent' | 'input' | 'text' | 'negativePrompt'> {
  const counted = applyPictureCount(feature, description, description, readParameters(feature, description));
  const split = feature.chat.negativePromptField ? extractNegativePrompt(counted.text) : { text: counted.text };
  return {
    feature: feature.id,
    intent: feature.intents.name,
    input: counted.input,
    text: split.text,
    ...(split.negative ? { negativePrompt: split.negative } : {}),
  };
}

import type { AnyFeature, IntentTurn } from '@darkroom/plugin-api';
import type { Detection } from './intent-detector.js';
import { readParameters } from './read-parameters.js';

/**
 * The arguments of each feature's newest run in a conversation (the calls of its assistant turns),
 * by feature id.
 *
 * @example
 * lastRuns([{ role: 'assistant', text: 'Done', calls: [{ name: 'jewelry-design', args: { piece: 'ring' } }] }]);
 * // Map { 'jewelry-design' => { piece: 'ring' } }
 */
export function lastRuns(history: IntentTurn[]): Map<string, Record<string, unknown>> {
  const runs = new Map<string, Record<string, unknown>>();
  for (const turn of [...history].reverse()) {
    for (const call of turn.calls ?? []) if (!runs.has(call.name)) runs.set(call.name, call.args);
  }
  return runs;
}

/**
 * Lays each detected step of a feature that revises its last run (`chat.revises`) over the
 * arguments of that run in the history: "make it rose gold" keeps the ring, its stones and its seed
 * and changes the metal (a feature's function may also start anew). Such a step is marked `revises`.
 * Steps of other features, and features the history never ran, are left as they are.
 */
export function reviseSteps(detection: Detection, features: (id: string) => AnyFeature, history: IntentTurn[], words: string): Detection {
  const runs = lastRuns(history);
  if (runs.size === 0) return detection;
  const steps = detection.steps.map((step) => {
    const revises = features(step.feature).chat.revises;
    const previous = runs.get(step.feature);
    if (!revises || !previous) return step;
    const input = revises === true ? { ...previous, ...step.input } : revises(structuredClone(previous), step.input, words);
    return { ...step, input, revises: true };
  });
  return { ...detection, steps };
}

/**
 * A follow-up that names no feature of its own but says how to change the session's last run ("make
 * it silver", "make it matte", "đổi sang bạc" after a jewellery design): when the newest turn that
 * ran something ran a feature that revises (`chat.revises`) and that feature's `intents.extract`
 * reads parameters from the words, the request is a step of that feature. It takes over a request
 * the rule-based detector read as nothing or as one step of another feature ("make it vintage" is the
 * design's style, not a photo filter); a language model, which saw the conversation, is overruled
 * only when it called nothing.
 */
export function claimFollowUp(detection: Detection, features: { has(id: string): boolean; get(id: string): AnyFeature }, history: IntentTurn[], words: string): Detection {
  const newest = [...history].reverse().find((turn) => turn.calls?.length);
  const call = newest?.calls?.find((candidate) => features.has(candidate.name) && features.get(candidate.name).chat.revises);
  if (!call || detection.steps.length > 1 || detection.steps[0]?.feature === call.name) return detection;
  if (detection.detector !== 'rule-based' && detection.steps.length > 0) return detection;
  const feature = features.get(call.name);
  const input = readParameters(feature, words);
  if (Object.keys(input).length === 0) return detection;
  const confidence = 0.8;
  return {
    ...detection,
    confidence,
    steps: [{ feature: feature.id, intent: feature.intents.name, confidence, input, text: '', refersToImage: true, alternatives: detection.steps.map((step) => step.feature) }],
  };
}

import type { AnyFeature, IntentTurn } from '@darkroom/plugin-api';
import type { Detection } from './intent-detector.js';

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

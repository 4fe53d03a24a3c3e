import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFeature, type IntentTurn } from '@darkroom/plugin-api';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import { FeatureRegistry } from '../registry/feature-registry.js';
import { enlargeFeature, paintFeature } from '../testing/test-plugin.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';
import { IntentRouter } from './intent-router.js';
import { lastRuns } from './revise-steps.js';

// A creating feature that revises its last run: its colour and shape are read from the words.
const badgeFeature = defineFeature({
  id: 'badge',
  description: 'Draw a badge',
  capability: 'text-to-image',
  intents: {
    name: 'badge_draw',
    keywords: ['badge', 'red', 'blue', 'round', 'square'],
    examples: ['a round red badge'],
    extract: (text) => ({ ...(/\b(red|blue)\b/.exec(text) ? { colour: /\b(red|blue)\b/.exec(text)![1] } : {}), ...(/\b(round|square)\b/.exec(text) ? { shape: /\b(round|square)\b/.exec(text)![1] } : {}) }),
    strip: [/\b(?:make|it|a|badge|red|blue|round|square)\b/g, /^\s*$/],
  },
  chat: { promptField: 'notes', revises: true },
  input: z.object({ colour: z.enum(['red', 'blue']), shape: z.enum(['round', 'square']).default('round'), notes: z.string().optional(), seed: z.number().int().optional() }),
  async run() {
    throw new Error('not run here');
  },
});

const registry = new FeatureRegistry([paintFeature, enlargeFeature, badgeFeature]);
const router = new IntentRouter(registry, createRuleBasedDetector(), createRuleBasedRefiner());
const earlier: IntentTurn[] = [
  { role: 'user', text: 'a square red badge' },
  { role: 'assistant', text: 'Here it is', calls: [{ name: 'badge', args: { colour: 'red', shape: 'square', seed: 7 } }] },
  { role: 'user', text: 'upscale it' },
  { role: 'assistant', text: 'Done', calls: [{ name: 'enlarge', args: { scale: 2 } }] },
];

describe('follow-ups that revise a feature\'s last run (chat.revises)', () => {
  it('reads the newest run of each feature from the history', () => {
    const runs = lastRuns([...earlier, { role: 'assistant', text: 'Again', calls: [{ name: 'badge', args: { colour: 'blue' } }] }]);
    expect(runs.get('badge')).toEqual({ colour: 'blue' });
    expect(runs.get('enlarge')).toEqual({ scale: 2 });
  });

  it('starts from the last run, seed included, and runs it whatever image is at hand', async () => {
    const detection = await router.detect('make it blue', { history: earlier, images: { image: 'session', mask: false } });
    expect(detection.steps[0]).toMatchObject({ feature: 'badge', revises: true, input: { colour: 'blue', shape: 'square', seed: 7 } });
    const plan = await router.plan('make it blue', { detection, contextImageId: 'ast_badge', images: { image: 'session', mask: false } });
    expect(plan.steps).toEqual([expect.objectContaining({ feature: 'badge', input: { colour: 'blue', shape: 'square', seed: 7 } })]);
    expect(plan.clarification).toBeUndefined();
  });

  it('leaves requests alone without history, and features that do not revise', async () => {
    const fresh = await router.detect('make it blue');
    expect(fresh.steps[0]).toMatchObject({ feature: 'badge', input: { colour: 'blue' } });
    expect(fresh.steps[0]!.revises).toBeUndefined();
    const enlarge = await router.detect('upscale it 4x', { history: earlier });
    expect(enlarge.steps[0]).toMatchObject({ feature: 'enlarge', input: { scale: 4 } });
    expect(enlarge.steps[0]!.revises).toBeUndefined();
  });

  it('asks for no subject when the prompt field is optional, and still asks when it is required', async () => {
    const badge = await router.plan('a round red badge', {});
    expect(badge.steps[0]).toMatchObject({ feature: 'badge', input: { colour: 'red', shape: 'round' } });
    expect(badge.steps[0]!.input).not.toHaveProperty('notes');
    expect((await router.plan('paint', {})).clarification).toBe('What should the image show?');
  });

  it('tells whether detection reads the history', () => {
    expect(router.readsHistory()).toBe(true);
    expect(new IntentRouter(new FeatureRegistry([paintFeature]), createRuleBasedDetector(), createRuleBasedRefiner()).readsHistory()).toBe(false);
  });
});

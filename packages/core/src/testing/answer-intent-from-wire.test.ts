import { describe, expect, it } from 'vitest';
import { describeImagesAtHand, describeTool, intentInstruction } from '../intent/intent-instruction.js';
import { toFeatureTool } from '../registry/feature-registry.js';
import { answerIntentFromWire, readImagesAtHand } from './answer-intent-from-wire.js';
import { enlargeFeature, paintFeature } from './test-plugin.js';

const wireTools = [paintFeature, enlargeFeature].map((feature) => {
  const tool = toFeatureTool(feature);
  return { name: tool.name, description: describeTool(tool), parameters: tool.parameters };
});

describe('answerIntentFromWire (the fakes\' model)', () => {
  it('reads the images at hand back from the instruction, and nothing when it does not say', () => {
    for (const images of [{ image: 'attached', mask: false }, { image: 'session', mask: true }, { image: 'none', mask: false }] as const) {
      expect(readImagesAtHand(intentInstruction({ images }))).toEqual(images);
      expect(describeImagesAtHand(images)).toMatch(/^Images at hand: /);
    }
    expect(readImagesAtHand(intentInstruction({ language: 'en' }))).toBeUndefined();
  });

  it('answers from the words and the context on the wire, and worse without them', async () => {
    const ask = (message: string, instruction: string, tools = wireTools) => answerIntentFromWire({ message, instruction, tools });
    expect(await ask('enlarge it 4x', intentInstruction({ images: { image: 'attached', mask: false } }))).toEqual([{ name: 'enlarge', args: {} }]);
    // A picture described with no image at hand is created; told nothing about images, the "model" cannot know.
    const described = 'a boat you can enlarge on the wall of a quiet harbour';
    expect(await ask(described, intentInstruction({ images: { image: 'none', mask: false } }))).toEqual([{ name: 'paint', args: { prompt: expect.stringContaining('boat') } }]);
    expect((await ask(described, intentInstruction({})))[0]?.name).toBe('enlarge');
    // Tools sent without their keywords select nothing.
    expect(await ask('enlarge it 4x', intentInstruction({}), wireTools.map(({ name, parameters }) => ({ name, description: 'A tool', parameters })))).toEqual([]);
  });
});

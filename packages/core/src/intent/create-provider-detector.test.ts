import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFeature, defineProvider, imageInput, type CapabilityRequest } from '@darkroom/plugin-api';
import { ProviderManager } from '../providers/provider-manager.js';
import { createProviderDetector } from './create-provider-detector.js';
import { createRuleBasedDetector } from './create-rule-based-detector.js';

const erase = defineFeature({
  id: 'erase',
  description: 'Remove an object',
  capability: 'inpaint',
  intents: { name: 'object_remove', keywords: ['remove'], examples: ['remove the tree'] },
  chat: { imageField: 'image', maskField: 'mask', targetField: 'target' },
  input: z.object({ image: imageInput, mask: imageInput.optional(), target: z.string().optional() }),
  run: () => Promise.reject(new Error('not run here')),
});

function detectorAnswering(args: Record<string, unknown>) {
  const seen: Array<CapabilityRequest<'intent'>> = [];
  const provider = defineProvider({
    id: 'llm',
    models: [{ id: 'llm-1', capabilities: ['intent'] }],
    handlers: { intent: async (request) => (seen.push(request), { calls: [{ name: 'erase', args }] }) },
  });
  return { detector: createProviderDetector(new ProviderManager([provider]), createRuleBasedDetector()), seen };
}

describe('createProviderDetector', () => {
  it('passes the images at hand and language, declares the step hints, and reads them back', async () => {
    const { detector, seen } = detectorAnswering({ target: 'the tree', asks_for_new_picture: false, refers_to_image: false, confidence: 1.7 });
    const detection = await detector.detect('xóa cái cây', { features: [erase], images: { image: 'attached', mask: false } });
    expect(seen[0]).toMatchObject({ message: 'xóa cái cây', language: 'vi', images: { image: 'attached', mask: false }, tools: [{ name: 'erase', examples: ['remove the tree'], keywords: ['remove'], worksOnImage: true }] });
    expect(Object.keys((seen[0]!.tools[0]!.parameters as { properties: object }).properties)).toEqual(['target', 'asks_for_new_picture', 'refers_to_image', 'confidence']);
    expect(detection).toMatchObject({ detector: 'llm:llm-1', language: 'vi', confidence: 1, steps: [{ feature: 'erase', text: 'the tree', input: { target: 'the tree' }, asksForNew: false, refersToImage: false, confidence: 1 }] });
  });

  it('drops the words naming the target when a mask was sent, and defaults what the model did not say', async () => {
    const { detector } = detectorAnswering({ target: 'the tree' });
    const detection = await detector.detect('remove the tree', { features: [erase], images: { image: 'attached', mask: true } });
    expect(detection.steps[0]).toEqual({ feature: 'erase', intent: 'object_remove', confidence: 0.9, input: {}, text: 'the tree', refersToImage: true });
  });
});

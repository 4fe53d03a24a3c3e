import { DarkroomError, inspectImage, type Capability, type FeatureContext, type ImageData } from '@darkroom/core';
import { solidPng } from '@darkroom/core/testing';
import { describe, expect, it } from 'vitest';
import { maxTargetLength, objectRemovalFeature, objectRemovalInput, removalInstruction } from './object-removal-feature.js';

const image = { asset_id: 'ast_photo' };

/** A feature context whose `call` records requests and answers with the input image, or throws. */
async function contextWith(answer: (capability: Capability) => Error | undefined) {
  const photo: ImageData = await inspectImage(await solidPng(64, 48));
  const calls: Array<{ capability: Capability; request: Record<string, unknown> }> = [];
  const context = {
    userId: 'u',
    signal: new AbortController().signal,
    images: { load: async () => photo },
    call: async (capability: Capability, request: Record<string, unknown>) => {
      calls.push({ capability, request });
      const error = answer(capability);
      if (error) throw error;
      return { images: [photo], provider: 'fake', model: 'fake-1' };
    },
    progress: () => undefined,
  } as unknown as FeatureContext;
  return { context, calls };
}

describe('object removal', () => {
  it('takes exactly one of mask and target, a target of bounded length', () => {
    expect(objectRemovalInput.safeParse({ image, mask: image }).success).toBe(true);
    expect(objectRemovalInput.parse({ image, target: '  the man on the left ' }).target).toBe('the man on the left');
    for (const input of [{ image }, { image, mask: image, target: 'the tree' }]) {
      const parsed = objectRemovalInput.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.message).toMatch(/exactly one of mask .* or target/);
    }
    expect(objectRemovalInput.safeParse({ image, target: 'x'.repeat(maxTargetLength + 1) }).success).toBe(false);
    expect(objectRemovalInput.safeParse({ image, target: '   ' }).success).toBe(false);
  });

  it('documents target and chat binds it', () => {
    expect(objectRemovalFeature.chat).toEqual({ imageField: 'image', maskField: 'mask', targetField: 'target' });
    expect(objectRemovalInput.shape.target.description).toMatch(/What to remove, in words/);
  });

  it('removes what a mask marks by inpainting, and what words name by an edit instruction', async () => {
    const { context, calls } = await contextWith(() => undefined);
    await objectRemovalFeature.run(objectRemovalInput.parse({ image, mask: image }), context);
    const result = await objectRemovalFeature.run(objectRemovalInput.parse({ image, target: 'the guy on the left', format: 'jpeg' }), context);
    expect(calls.map((call) => call.capability)).toEqual(['inpaint', 'edit']);
    expect(calls[0]!.request).not.toHaveProperty('method');
    await objectRemovalFeature.run(objectRemovalInput.parse({ image, mask: image, method: 'diffusion' }), context);
    expect(calls[2]!.request).toMatchObject({ method: 'diffusion' });
    expect(calls[1]!.request).toMatchObject({ instruction: removalInstruction('the guy on the left'), format: 'jpeg' });
    expect(removalInstruction('the guy\non the left', 'grass')).toBe(
      'Remove the guy on the left from the image and fill the area so it blends with its surroundings, matching the lighting, texture and perspective. Keep everything else unchanged. Fill it with: grass.',
    );
    expect(result.metadata).toMatchObject({ target: 'the guy on the left' });
  });

  it('says to send a mask or configure Gemini when no provider edits by instruction', async () => {
    const { context } = await contextWith((capability) => (capability === 'edit' ? new DarkroomError({ code: 'no_provider', message: 'No configured provider can do edit' }) : undefined));
    const error = await objectRemovalFeature.run(objectRemovalInput.parse({ image, target: 'the tree' }), context).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'unsupported', status: 422, message: expect.stringMatching(/send a mask .* or configure Gemini/), details: { capability: 'edit', field: 'target' } });
  });
});

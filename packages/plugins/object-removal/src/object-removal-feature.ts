import { chosenGeneration, chosenOutput, chosenProvider, DarkroomError, defineFeature, generationOptions, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

/** Longest `target` accepted, in characters: a phrase naming an object, not a story. */
export const maxTargetLength = 300;

export const objectRemovalInput = z
  .object({
    image: imageInput,
    mask: imageInput
      .optional()
      .describe('Same size as the image: white (or opaque) where the object to remove is, black elsewhere. Send either mask or target.'),
    target: z
      .string()
      .trim()
      .min(1, 'target must name what to remove in words, e.g. "the man on the left" (blank is not a target)')
      .max(maxTargetLength)
      .optional()
      .describe(
        `What to remove, in words ("the man on the left", "the watermark"), at most ${maxTargetLength} characters; used when no mask is sent. ` +
          'Needs a provider that edits by instruction (capability `edit`, e.g. Gemini). Send either mask or target.',
      ),
    prompt: z.string().max(2000).optional().describe('What should fill the hole, for generative providers'),
    method: z
      .enum(['patch', 'diffusion'])
      .optional()
      .describe(
        'How a classic (non-generative) provider fills the hole: patch (default) copies texture from the photo; diffusion blends it smooth, ' +
          'best for thin scratches. Generative providers ignore it.',
      ),
    ...generationOptions,
    ...outputOptions,
    ...providerChoice,
  })
  .superRefine((input, context) => {
    if ((input.mask === undefined) === (input.target === undefined)) {
      context.addIssue({
        code: 'custom',
        path: input.mask === undefined ? ['mask'] : ['target'],
        message: 'Send exactly one of mask (an image, white where the object to remove is) or target (what to remove, in words, e.g. "the man on the left")',
      });
    }
  });

/** The instruction an instruction-editing model gets for removing `target`. */
export function removalInstruction(target: string, fill?: string): string {
  const what = target.replace(/\s+/g, ' ').trim();
  return (
    `Remove ${what} from the image and fill the area so it blends with its surroundings, matching the lighting, texture and perspective. ` +
    `Keep everything else unchanged.${fill ? ` Fill it with: ${fill.replace(/\s+/g, ' ').trim()}.` : ''}`
  );
}

/**
 * Removing snow or rain from a whole photo, or a smile from a face: no object a mask covers, so not
 * object removal (the chat answer offers what can be done instead).
 */
export const weatherOrExpression = /(?<![\p{L}])(?:snow|snowfall|snowflakes|rain|raindrops|rainfall|drizzle|smile|frown|expression|tuyết|mưa|nụ cười)(?![\p{L}])/iu;

/**
 * Remove what the mask marks, or what `target` names in words, and fill the hole from its
 * surroundings. A mask runs `inpaint`; a target runs `edit` (a provider that edits by instruction).
 *
 * @throws DarkroomError `invalid_input` (400) unless exactly one of `mask` and `target` is sent;
 *   `unsupported` (422) for a target when no configured provider offers `edit` (send a mask, or configure Gemini).
 */
export const objectRemovalFeature = defineFeature({
  id: 'object-removal',
  description: 'Remove an object marked by a mask or named in words',
  capability: 'inpaint',
  intents: {
    name: 'object_remove',
    keywords: [
      'remove the object', 'remove object', 'erase the', 'erase object', 'get rid of', 'delete the object', 'clean up', 'inpaint', 'xóa vật thể', 'xoá vật thể', 'xóa đối tượng', 'loại bỏ vật', 'xóa người',
      // A removal verb whose object is named in words ("remove the guy on the left", "erase the tree").
      'remove', 'removed', 'removing', 'erase', 'erased', 'delete', 'eliminate', 'eradicate', 'expunge', 'obliterate', 'wipe out', 'wipe away', 'wipe off',
      'take out', 'edit out', 'photoshop out', 'out of this picture', 'out of the picture', 'out of this photo', 'out of the photo', 'out of the shot', 'out of frame', 'photobomber', 'photobombers',
      // The result described: "ensure there are no pandas in the image", "the motorcycle needs to be expunged".
      'there are no', "there's no", 'there is no', 'should be no', 'no longer', 'be gone', 'expunged', 'removed from', 'absence of', 'watermark', 'logo',
      'xóa', 'xoá', 'loại bỏ', 'bỏ', 'gỡ bỏ', 'xóa bỏ', 'xoá bỏ', 'xóa đi', 'bỏ đi',
    ],
    verbs: [
      'remove', 'removed', 'removing', 'erase', 'erased', 'delete', 'eliminate', 'get rid of', 'take out', 'wipe out', 'wipe away', 'wipe off', 'edit out', 'photoshop out', 'clean up',
      'xóa', 'xoá', 'loại bỏ', 'bỏ', 'gỡ bỏ', 'xóa bỏ', 'xoá bỏ', 'xóa đi', 'bỏ đi',
    ],
    // Weather over the whole photo and facial expressions are no object a mask can cover.
    excludes: weatherOrExpression,
    examples: ['remove the object I marked', 'get rid of the person on the left', 'could someone please remove the man in the background?', 'erase the watermark', 'xóa vật thể này', 'xoá cái xe máy ở góc trái'],
  },
  chat: { imageField: 'image', maskField: 'mask', targetField: 'target' },
  input: objectRemovalInput,
  async run(input, context) {
    if (input.mask) {
      const [image, mask] = await Promise.all([context.images.load(input.image), context.images.load(input.mask)]);
      const result = await context.call('inpaint', { image, mask, ...(input.prompt ? { prompt: input.prompt } : {}), ...(input.method ? { method: input.method } : {}), ...chosenGeneration(input), ...chosenOutput(input) }, chosenProvider(input));
      return toFeatureOutput(result);
    }
    const image = await context.images.load(input.image);
    const result = await context
      .call('edit', { image, instruction: removalInstruction(input.target!, input.prompt), ...chosenOutput(input) }, chosenProvider(input))
      .catch((error: unknown) => {
        if (DarkroomError.isInstance(error) && error.code === 'no_provider') {
          throw new DarkroomError({
            code: 'unsupported',
            message:
              'Removing an object named in words (target) needs a provider that edits by instruction (capability edit, e.g. Gemini), and none is configured: ' +
              'send a mask (white where the object is) instead, or configure Gemini (GEMINI_API_KEY).',
            details: { capability: 'edit', field: 'target' },
            cause: error,
          });
        }
        throw error;
      });
    return toFeatureOutput(result, { target: input.target });
  },
});

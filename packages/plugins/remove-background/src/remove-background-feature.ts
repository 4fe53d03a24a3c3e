import { chosenOutput, chosenProvider, defineFeature, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const removeBackgroundInput = z.object({
  image: imageInput,
  mask_only: z.boolean().default(false).describe('Answer the mask (white = subject) instead of the cut-out'),
  refine_edges: z.boolean().default(true),
  ...outputOptions,
  ...providerChoice,
});

/** Cut the subject out: a PNG with a real alpha channel, or the mask alone. */
export const removeBackgroundFeature = defineFeature({
  id: 'remove-background',
  description: 'Remove the background of an image',
  capability: 'remove-background',
  intents: {
    name: 'background_remove',
    keywords: [
      'remove background', 'remove the background', 'background removal', 'delete the background', 'erase the background', 'erase background',
      'cut out', 'cutout', 'transparent background', 'isolate the subject', 'no background', 'without background', 'without the background',
      'xóa nền', 'xoá nền', 'tách nền', 'xóa phông', 'xoá phông', 'tách phông', 'bỏ nền', 'nền trong suốt',
    ],
    examples: ['remove the background', 'cut out the cat', 'xóa nền ảnh này'],
    extract: (text) => (/\b(?:mask only|just the mask|only the mask)\b|chỉ mặt nạ/iu.test(text) ? { mask_only: true } : {}),
  },
  chat: { imageField: 'image' },
  input: removeBackgroundInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call(
      'remove-background',
      { image, maskOnly: input.mask_only, refineEdges: input.refine_edges, ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result);
  },
});

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
      // How people ask in posts: a removal verb with "background"/"bg" as its object, transparency, cut-outs, PNGs, plain backdrops.
      'background', 'backgrounds', 'bg', 'backdrop', 'remove bg', 'no bg', 'transparent', 'transparent png', 'png', 'isolate', 'isolated',
      'extract the subject', 'cut me out', 'cut him out', 'cut her out', 'cut us out', 'cut them out', 'cut it out', 'cut the subject out',
      'white background', 'plain background', 'plain white background', 'solid background', 'sticker',
      'xóa nền', 'xoá nền', 'xóa background', 'xoá background', 'bỏ background', 'tách background', 'nền trắng', 'phông trắng', 'tách nền', 'xóa phông', 'xoá phông', 'tách phông', 'bỏ nền', 'nền trong suốt',
    ],
    // Putting the subject on another background, or blurring it, is not removal (a plain white one is).
    excludes: /(?<![\p{L}])(?:replace|replaced|replacing|swap|switch|change|changing|put|place|adjust|adjustments?|refashion|portray|simulate|depict|transform|blur|blurry|blurred|bokeh|darken|thay|đổi|ghép|làm mờ)(?![\p{L}])(?![^.!?]*(?<![\p{L}])(?:white|transparent|plain|trắng|trong suốt)(?![\p{L}]))/iu,
    examples: ['remove the background', 'cut out the cat', 'xóa nền ảnh này'],
    extract: (text) => ({
      ...(/\b(?:mask only|just the mask|only the mask)\b|chỉ mặt nạ/iu.test(text) ? { mask_only: true } : {}),
      // "on a plain white background" is a cut-out flattened on white (JPEG has no alpha).
      ...(/\b(?:plain |solid |pure )?white (?:background|backdrop|bg)\b|nền trắng|phông trắng/iu.test(text) ? { format: 'jpeg', background: '#ffffff' } : {}),
    }),
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

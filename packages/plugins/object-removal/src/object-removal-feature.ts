import { chosenOutput, chosenProvider, defineFeature, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const objectRemovalInput = z.object({
  image: imageInput,
  mask: imageInput.describe('Same size as the image: white (or opaque) where the object to remove is, black elsewhere'),
  prompt: z.string().max(2000).optional().describe('What should fill the hole, for generative providers'),
  ...outputOptions,
  ...providerChoice,
});

/** Remove what the mask marks and fill the hole from its surroundings. */
export const objectRemovalFeature = defineFeature({
  id: 'object-removal',
  description: 'Remove an object marked by a mask',
  capability: 'inpaint',
  intents: {
    name: 'object_remove',
    keywords: ['remove the object', 'remove object', 'erase the', 'erase object', 'get rid of', 'delete the object', 'clean up', 'inpaint', 'xóa vật thể', 'xoá vật thể', 'xóa đối tượng', 'loại bỏ vật', 'xóa người'],
    examples: ['remove the object I marked', 'get rid of the person on the left', 'xóa vật thể này'],
  },
  chat: { imageField: 'image', maskField: 'mask' },
  input: objectRemovalInput,
  async run(input, context) {
    const [image, mask] = await Promise.all([context.images.load(input.image), context.images.load(input.mask)]);
    const result = await context.call(
      'inpaint',
      { image, mask, ...(input.prompt ? { prompt: input.prompt } : {}), ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result);
  },
});

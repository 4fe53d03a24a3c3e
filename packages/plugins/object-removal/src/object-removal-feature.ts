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
    keywords: [
      'remove the object', 'remove object', 'erase the', 'erase object', 'get rid of', 'delete the object', 'clean up', 'inpaint', 'xóa vật thể', 'xoá vật thể', 'xóa đối tượng', 'loại bỏ vật', 'xóa người',
      // A removal verb whose object is named in words ("remove the guy on the left", "erase the tree").
      'remove', 'removed', 'removing', 'erase', 'erased', 'delete', 'eliminate', 'eradicate', 'expunge', 'obliterate', 'wipe out', 'wipe away', 'wipe off',
      'take out', 'edit out', 'photoshop out', 'absence of', 'watermark', 'logo',
      'xóa', 'xoá', 'loại bỏ', 'bỏ', 'gỡ bỏ', 'xóa bỏ', 'xoá bỏ', 'xóa đi', 'bỏ đi',
    ],
    examples: ['remove the object I marked', 'get rid of the person on the left', 'could someone please remove the man in the background?', 'erase the watermark', 'xóa vật thể này', 'xoá cái xe máy ở góc trái'],
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

// A plugin kept in the app's own folder, loaded by path ('./plugins/sepia-print.js'), in plain JavaScript.
import { chosenOutput, defineFeature, definePlugin, imageInput, outputOptions, toFeatureOutput, z } from '@darkroom/core';

const sepiaPrint = defineFeature({
  id: 'sepia-print',
  description: 'An old sepia print of a photo',
  capability: 'style-transfer',
  intents: { name: 'image_sepia_print', keywords: ['sepia print'], examples: ['make it an old sepia print'] },
  chat: { imageField: 'image' },
  input: z.object({ image: imageInput, ...outputOptions }),
  async run(input, context) {
    const image = await context.images.load(input.image);
    return toFeatureOutput(await context.call('style-transfer', { image, style: 'sepia', ...chosenOutput(input) }));
  },
});

export default definePlugin({ name: 'sepia-print', features: [sepiaPrint] });

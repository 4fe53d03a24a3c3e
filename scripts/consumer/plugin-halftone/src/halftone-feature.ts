import { chosenOutput, defineFeature, imageInput, outputOptions, toFeatureOutput, z } from '@darkroom/plugin-api';
import './halftone-capability.js';

export const halftoneFeature = defineFeature({
  id: 'halftone',
  description: 'Turn a photo into a black-and-white halftone print',
  capability: 'halftone',
  intents: { name: 'image_halftone', keywords: ['halftone', 'halftone print'], examples: ['make it a halftone print'] },
  chat: { imageField: 'image' },
  input: z.object({ image: imageInput, dotSize: z.number().int().min(2).max(32).default(6), ...outputOptions }),
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call('halftone', { image, dotSize: input.dotSize, ...chosenOutput(input) });
    context.progress(100);
    return toFeatureOutput(result, { dot_size: input.dotSize });
  },
});

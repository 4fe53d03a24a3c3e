import { DarkroomError, chosenGeneration, chosenOutput, chosenProvider, defineFeature, generationOptions, imageInput, maxPromptLength, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const reimagineInput = z.object({
  image: imageInput,
  prompt: z.string().trim().max(maxPromptLength).default(''),
  strength: z.number().min(0).max(1).default(0.6).describe('How far the variation may move from the original'),
  ...generationOptions,
  seed: generationOptions.seed.describe('With num_images > 1, variation i uses seed + i'),
  num_images: z.number().int().min(1).max(4).default(1).describe('How many variations to make, each a separate image-to-image call'),
  ...outputOptions,
  ...providerChoice,
});

/** A variation of an image, guided by an optional prompt. Needs a generative image-to-image model. */
export const reimagineFeature = defineFeature({
  id: 'reimagine',
  description: 'Reimagine an image as a new variation',
  capability: 'image-to-image',
  intents: {
    name: 'image_reimagine',
    keywords: ['reimagine', 're-imagine', 'variation', 'variations', 'another version', 'reinterpret', 'remix', 'tái hiện', 'biến thể', 'phiên bản khác', 'sáng tạo lại'],
    examples: ['reimagine it as a watercolor', 'make a variation of this', 'tạo biến thể của ảnh này'],
  },
  chat: { imageField: 'image', promptField: 'prompt', countField: 'num_images' },
  input: reimagineInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const results = [];
    // One call per variation, in turn: each is a full generative run on the provider.
    for (let index = 0; index < input.num_images; index++) {
      const seed = input.seed === undefined ? undefined : (input.seed + index) % 2_147_483_648;
      const onProgress = (percent: number) => context.progress(((index + percent / 100) / input.num_images) * 100);
      const result = await context
        .call('image-to-image', { image, prompt: input.prompt, strength: input.strength, ...chosenGeneration({ ...input, seed }), ...chosenOutput(input) }, { ...chosenProvider(input), onProgress })
        .catch((error: unknown) => {
          if (DarkroomError.isInstance(error) && error.code === 'no_provider') {
            throw new DarkroomError({
              code: 'no_provider',
              message: 'Reimagine needs a generative image-to-image model, and none is configured: configure a cloud provider (Runware or Gemini), a local diffusion model with a VAE encoder (DARKROOM_DIFFUSION_MODELS) or an ONNX image-to-image model for the local provider',
              details: { capability: 'image-to-image' },
            });
          }
          throw error;
        });
      results.push(result);
      context.progress(((index + 1) / input.num_images) * 100);
    }
    const [first] = results as [(typeof results)[number], ...typeof results];
    const result = { ...first, images: results.flatMap((each) => each.images) };
    return toFeatureOutput(result, { strength: input.strength });
  },
});

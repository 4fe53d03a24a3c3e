import { DarkroomError, chosenOutput, chosenProvider, defineFeature, imageInput, maxPromptLength, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const reimagineInput = z.object({
  image: imageInput,
  prompt: z.string().trim().max(maxPromptLength).default(''),
  strength: z.number().min(0).max(1).default(0.6).describe('How far the variation may move from the original'),
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
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
  chat: { imageField: 'image', promptField: 'prompt' },
  input: reimagineInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context
      .call(
        'image-to-image',
        { image, prompt: input.prompt, strength: input.strength, ...(input.seed !== undefined ? { seed: input.seed } : {}), ...chosenOutput(input) },
        chosenProvider(input),
      )
      .catch((error: unknown) => {
        if (DarkroomError.isInstance(error) && error.code === 'no_provider') {
          throw new DarkroomError({
            code: 'no_provider',
            message: 'Reimagine needs a generative image-to-image model, which cannot run on this machine: configure a cloud provider (Runware or Gemini) or an ONNX image-to-image model for the local provider',
            details: { capability: 'image-to-image' },
          });
        }
        throw error;
      });
    return toFeatureOutput(result, { strength: input.strength });
  },
});

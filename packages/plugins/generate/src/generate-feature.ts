import { chosenGeneration, chosenOutput, chosenProvider, defineFeature, generationOptions, maxPromptLength, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const aspectRatios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '21:9'] as const;

export const generateInput = z.object({
  prompt: z.string().trim().min(1, 'prompt must not be empty').max(maxPromptLength),
  aspect_ratio: z.enum(aspectRatios).optional().describe('Used when width and height are not given; the long side is 1024'),
  width: z.number().int().min(64).max(2048).optional(),
  height: z.number().int().min(64).max(2048).optional(),
  ...generationOptions,
  seed: generationOptions.seed.describe('Seed of the initial noise; with num_images > 1, image i uses seed + i'),
  num_images: z.number().int().min(1).max(4).default(1),
  ...outputOptions,
  ...providerChoice,
});

/** Width and height from explicit sizes or an aspect ratio, multiples of 8. */
export function sizeFor(input: { width?: number | undefined; height?: number | undefined; aspect_ratio?: string | undefined }): { width: number; height: number } {
  if (input.width && input.height) return { width: input.width, height: input.height };
  const [w, h] = (input.aspect_ratio ?? '1:1').split(':').map(Number) as [number, number];
  const long = 1024;
  const round8 = (value: number) => Math.max(64, Math.round(value / 8) * 8);
  if (input.width) return { width: input.width, height: round8((input.width * h) / w) };
  if (input.height) return { width: round8((input.height * w) / h), height: input.height };
  return w >= h ? { width: long, height: round8((long * h) / w) } : { width: round8((long * w) / h), height: long };
}

function extract(text: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const ratio = /\b(\d{1,2}:\d{1,2})\b/.exec(text)?.[1];
  if (ratio && (aspectRatios as readonly string[]).includes(ratio)) found.aspect_ratio = ratio;
  else if (/\b(?:square|vuông)\b/iu.test(text)) found.aspect_ratio = '1:1';
  else if (/\b(?:widescreen|wide screen)\b/i.test(text)) found.aspect_ratio = '16:9';
  const size = /\b(\d{2,4})\s*[x×]\s*(\d{2,4})\b/.exec(text);
  if (size) {
    found.width = Number(size[1]);
    found.height = Number(size[2]);
  }
  const seed = /\bseed\s*[:=]?\s*(\d{1,10})\b/i.exec(text);
  if (seed) found.seed = Number(seed[1]);
  return found;
}

/**
 * Text-to-image. Served by whichever provider offers `text-to-image`; with no real provider the
 * local provider's labelled development placeholder answers.
 */
export const generateFeature = defineFeature({
  id: 'generate',
  route: 'image-generation',
  description: 'Generate an image from a description',
  capability: 'text-to-image',
  intents: {
    name: 'image_generate',
    keywords: [
      'create', 'generate', 'make', 'draw', 'paint', 'render', 'design', 'produce', 'imagine', 'illustrate',
      'image of', 'picture of', 'photo of', 'create an image', 'generate an image', 'make a picture', 'make an image',
      'tạo', 'tạo ảnh', 'tạo hình', 'tạo hình ảnh', 'tạo một bức ảnh', 'vẽ', 'vẽ tranh', 'sinh ảnh', 'thiết kế',
    ],
    verbs: ['create', 'generate', 'make', 'draw', 'paint', 'render', 'design', 'produce', 'imagine', 'illustrate', 'tạo', 'vẽ', 'sinh ảnh', 'thiết kế'],
    examples: ['create a sunset over mountains', 'draw a cat in watercolor, 16:9', 'tạo ảnh hoàng hôn trên biển'],
    extract,
    strip: [/\s*\b(?:in|at|with)?\s*\d{1,2}:\d{1,2}\b/gi, /\s*\b(?:with\s+|using\s+)?seed\s*[:=]?\s*\d+\b/gi, /\s*\b(?:at\s+|in\s+)?\d{2,4}\s*[x×]\s*\d{2,4}\b/gi],
  },
  chat: { promptField: 'prompt', negativePromptField: 'negative_prompt', countField: 'num_images' },
  input: generateInput,
  async run(input, context) {
    const { width, height } = sizeFor(input);
    const result = await context.call(
      'text-to-image',
      {
        prompt: input.prompt,
        width,
        height,
        ...chosenGeneration(input),
        count: input.num_images,
        ...chosenOutput(input),
      },
      chosenProvider(input),
    );
    return toFeatureOutput(result, { width, height, ...(input.aspect_ratio ? { aspect_ratio: input.aspect_ratio } : {}) });
  },
});

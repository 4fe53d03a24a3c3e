import { DarkroomError, chosenGeneration, chosenOutput, chosenProvider, defineFeature, generationOptions, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const expandAspectRatios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '21:9'] as const;
const side = z.number().int().min(0).max(4096).default(0);

export const expandInput = z
  .object({
    image: imageInput,
    aspect_ratio: z.enum(expandAspectRatios).optional().describe('Grow the canvas to this ratio, keeping the image centred'),
    left: side,
    right: side,
    top: side,
    bottom: side,
    prompt: z.string().max(2000).optional().describe('What the new borders should show, for generative providers'),
    ...generationOptions,
    ...outputOptions,
    ...providerChoice,
  })
  .refine((input) => input.aspect_ratio !== undefined || input.left + input.right + input.top + input.bottom > 0, {
    message: 'give an aspect_ratio or some pixels to add on at least one side',
  });

/** Padding that grows width × height to the ratio (never shrinks), split evenly around the image. */
export function paddingForRatio(width: number, height: number, ratio: string) {
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  const targetWidth = Math.max(width, Math.round((height * w) / h));
  const targetHeight = Math.max(height, Math.round((width * h) / w));
  const extraWidth = targetWidth - width;
  const extraHeight = targetHeight - height;
  return { left: Math.floor(extraWidth / 2), right: Math.ceil(extraWidth / 2), top: Math.floor(extraHeight / 2), bottom: Math.ceil(extraHeight / 2) };
}

/** Expand the canvas with content that continues the edges; the original pixels are kept exactly. */
export const expandFeature = defineFeature({
  id: 'expand',
  route: 'image-expand',
  description: 'Expand an image beyond its borders (outpaint)',
  capability: 'outpaint',
  intents: {
    name: 'image_expand',
    keywords: ['expand', 'extend', 'outpaint', 'uncrop', 'zoom out', 'widen', 'make it wider', 'make it taller',
      'wider', 'canvas', 'bigger canvas', 'fill in the sides', 'fill the sides', 'fill in the edges', 'without cropping', 'show more', 'more of the scenery', 'more room', 'more space', 'add space', 'cut off', 'aspect ratio', 'fit', 'fits', 'mở rộng', 'mở rộng ảnh', 'kéo dài', 'nới rộng'],
    examples: ['expand it to 16:9', 'extend the image 200 pixels on each side', 'mở rộng ảnh này thành 16:9'],
    extract: (text) => {
      const ratio = /\b(\d{1,2}:\d{1,2})\b/.exec(text)?.[1];
      if (ratio) return { aspect_ratio: ratio };
      const pixels = /\b(\d{1,4})\s*(?:px|pixels?)\b/i.exec(text);
      if (pixels) {
        const amount = Number(pixels[1]);
        if (/\b(?:each|every|all) sides?\b|\bmoi ben\b|mỗi bên/iu.test(text)) return { left: amount, right: amount, top: amount, bottom: amount };
        return { left: amount, right: amount };
      }
      if (/\b(?:wider|landscape|widescreen|rong hon)\b|rộng hơn/iu.test(text)) return { aspect_ratio: '16:9' };
      if (/\b(?:taller|portrait|vertical|cao hon)\b|cao hơn/iu.test(text)) return { aspect_ratio: '9:16' };
      return {};
    },
  },
  chat: { imageField: 'image' },
  input: expandInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const padding = input.aspect_ratio
      ? paddingForRatio(image.width, image.height, input.aspect_ratio)
      : { left: input.left, right: input.right, top: input.top, bottom: input.bottom };
    const width = image.width + padding.left + padding.right;
    const height = image.height + padding.top + padding.bottom;
    if (width === image.width && height === image.height) {
      throw new DarkroomError({ code: 'invalid_input', message: `The image is already ${input.aspect_ratio ?? 'that size'}: nothing to expand` });
    }
    const result = await context.call(
      'outpaint',
      { image, ...padding, ...(input.prompt ? { prompt: input.prompt } : {}), ...chosenGeneration(input), ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result, { ...padding, source_width: image.width, source_height: image.height });
  },
});

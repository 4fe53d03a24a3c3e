import { chosenOutput, chosenProvider, defineFeature, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const upscaleInput = z.object({
  image: imageInput,
  scale: z.union([z.literal(2), z.literal(4)], { error: 'scale must be 2 or 4' }).default(2),
  sharpen: z.boolean().default(false),
  ...outputOptions,
  ...providerChoice,
});

function extract(text: string): Record<string, unknown> {
  const factor = /(?<![\d.])(\d+)\s*(?:x|×|lần|lan)(?![\p{L}\d])|(?<![\p{L}])[x×]\s*(\d+)\b/iu.exec(text);
  if (factor) return { scale: Number(factor[1] ?? factor[2]) };
  if (/\b(?:double|twice|gap doi)\b|gấp đôi/iu.test(text)) return { scale: 2 };
  if (/\b(?:quadruple|gap bon)\b|gấp bốn/iu.test(text)) return { scale: 4 };
  if (/\b(?:sharpen|sharper|crisp|lam net)\b|làm nét/iu.test(text)) return { sharpen: true };
  return {};
}

/** Increase an image's resolution by 2× or 4×. */
export const upscaleFeature = defineFeature({
  id: 'upscale',
  description: 'Upscale an image to 2× or 4× its resolution',
  capability: 'upscale',
  intents: {
    name: 'image_upscale',
    keywords: [
      'upscale', 'upscaled', 'upscaling', 'enlarge', 'scale up', 'make it bigger', 'make it larger', 'bigger', 'larger',
      'resolution', 'hd', 'full hd', '4k', '8k', 'high res', 'higher res', 'hi-res', 'high resolution', 'higher resolution', 'increase resolution', 'increase the resolution', 'improving the resolution', 'improve the resolution', 'improving resolution', 'enhance the resolution', 'enhancing the resolution', 'super resolution', 'super-resolution', 'improve resolution',
      'enlarged', 'enlarging', 'increase the size', 'increase size', 'bigger size', 'larger size', 'upsize', 'upres', 'blow up', 'blown up',
      'pixelated', 'pixelation', 'pixely', 'low res', 'low-res', 'lowres', 'low resolution', 'higher quality version', 'print it larger', 'print larger', 'poster', 'print',
      'phóng to', 'tăng độ phân giải', 'nâng độ phân giải', 'nâng cấp độ phân giải', 'phóng đại', 'làm to',
    ],
    examples: ['upscale it 2x', 'make this 4x bigger', 'phóng to ảnh này gấp đôi'],
    extract,
  },
  chat: { imageField: 'image' },
  input: upscaleInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call(
      'upscale',
      { image, scale: input.scale, sharpen: input.sharpen, ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result, { scale: input.scale, source_width: image.width, source_height: image.height });
  },
});

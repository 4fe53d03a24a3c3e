import { chosenOutput, chosenProvider, defineFeature, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const styleTransferInput = z.object({
  image: imageInput,
  style: z.string().trim().min(1).max(64).describe('A preset (noir, sepia, vintage-film, cool-cinematic, warm-golden-hour, pencil-sketch) or a provider style'),
  strength: z.number().min(0).max(1).default(1),
  ...outputOptions,
  ...providerChoice,
});

const styleWords: Array<[RegExp, string]> = [
  [/\b(?:noir|black and white|black & white|b&w|monochrome|grayscale|greyscale|den trang)\b|đen trắng/iu, 'noir'],
  [/\b(?:sepia|nau co)\b|nâu cổ/iu, 'sepia'],
  [/\b(?:vintage|retro|old film|film look|analog|co dien|hoai co)\b|cổ điển|hoài cổ/iu, 'vintage-film'],
  [/\b(?:cinematic|teal|movie look|blockbuster|dien anh)\b|điện ảnh/iu, 'cool-cinematic'],
  [/\b(?:golden hour|golden|warm tones?|gio vang)\b|giờ vàng/iu, 'warm-golden-hour'],
  [/\b(?:sketch|pencil|drawing|graphite|phac thao|but chi)\b|phác thảo|bút chì/iu, 'pencil-sketch'],
];

/** Restyle an image with a named look. */
export const styleTransferFeature = defineFeature({
  id: 'style-transfer',
  description: 'Restyle an image (noir, sepia, vintage film, cinematic, golden hour, pencil sketch)',
  capability: 'style-transfer',
  intents: {
    name: 'style_transfer',
    keywords: [
      'style transfer', 'stylize', 'stylise', 'in the style of', 'apply a filter', 'filter', 'style',
      'noir', 'sepia', 'vintage', 'retro', 'cinematic', 'golden hour look', 'pencil sketch', 'sketch', 'black and white',
      'painting', 'drawing', 'illustration', 'ghibli', 'pixar', 'disney', 'comic', 'manga', 'pop art', 'film look', 'analog film', 'polaroid', 'aesthetic',
      'watercolor', 'watercolour', 'oil painting', 'oil paintings', 'cyberpunk', 'anime', 'cartoon', 'impressionist', 'van gogh', 'monochrome', 'grayscale', 'greyscale',
      'phong cách', 'bộ lọc', 'màu nước', 'sơn dầu', 'tranh sơn dầu', 'hoạt hình', 'kiểu', 'chuyển phong cách', 'đen trắng', 'cổ điển', 'phác thảo', 'hoài cổ',
    ],
    examples: ['make it look like a vintage film', 'turn it into a pencil sketch', 'chuyển ảnh này sang đen trắng'],
    extract: (text) => {
      const style = styleWords.find(([pattern]) => pattern.test(text))?.[1];
      const strength = /\b(?:subtle|slight|light|nhe)\b|nhẹ/iu.test(text) ? { strength: 0.5 } : {};
      return style ? { style, ...strength } : strength;
    },
  },
  chat: { imageField: 'image' },
  input: styleTransferInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call(
      'style-transfer',
      { image, style: input.style, strength: input.strength, ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result);
  },
});

import { chosenOutput, chosenProvider, defineFeature, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const lightDirections = ['left', 'right', 'top', 'bottom', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

export const relightInput = z.object({
  image: imageInput,
  direction: z.enum(lightDirections).default('left').describe('Where the light comes from'),
  intensity: z.number().min(0).max(1).default(0.5),
  warmth: z.number().min(-1).max(1).default(0).describe('Colour of the light: positive warm, negative cool'),
  ...outputOptions,
  ...providerChoice,
});

const directionWords: Array<[RegExp, (typeof lightDirections)[number]]> = [
  [/\b(?:(?:top|upper)[ -]left|tren ben trai)\b|trên bên trái/iu, 'top-left'],
  [/\b(?:(?:top|upper)[ -]right|tren ben phai)\b|trên bên phải/iu, 'top-right'],
  [/\b(?:(?:bottom|lower)[ -]left|duoi ben trai)\b|dưới bên trái/iu, 'bottom-left'],
  [/\b(?:(?:bottom|lower)[ -]right|duoi ben phai)\b|dưới bên phải/iu, 'bottom-right'],
  [/\b(?:(?:from the |from )?left|ben trai|tu trai)\b|bên trái|từ trái/iu, 'left'],
  [/\b(?:(?:from the |from )?right|ben phai|tu phai)\b|bên phải|từ phải/iu, 'right'],
  [/\b(?:top|above|overhead|tu tren|phia tren)\b|từ trên|phía trên/iu, 'top'],
  [/\b(?:bottom|below|underneath|tu duoi|phia duoi)\b|từ dưới|phía dưới/iu, 'bottom'],
];

function extract(text: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const direction = directionWords.find(([pattern]) => pattern.test(text))?.[1];
  if (direction) found.direction = direction;
  // Vietnamese as written and without diacritics ("ấm" only as written: "am" is English).
  if (/\b(?:warm|warmer|golden|sunset|am ap)\b|ấm/iu.test(text)) found.warmth = 0.6;
  else if (/\b(?:cool|cooler|cold|blue|moonlight|lanh)\b|lạnh/iu.test(text)) found.warmth = -0.6;
  if (/\b(?:strong|dramatic|harsh|bright|manh)\b|mạnh/iu.test(text)) found.intensity = 0.8;
  else if (/\b(?:subtle|soft|gentle|slight|nhe)\b|nhẹ/iu.test(text)) found.intensity = 0.3;
  return found;
}

/** Relight: a directional light that brightens one side, falls off across the image, and tints with warmth. */
export const relightFeature = defineFeature({
  id: 'relight',
  description: 'Relight an image with a directional light',
  capability: 'relight',
  intents: {
    name: 'image_relight',
    keywords: [
      'relight', 'relighting', 'lighting', 'light from', 'lit from', 'add light', 'change the light', 'change the lighting', 'dramatic light',
      'make it brighter', 'brighten', 'side light', 'rim light',
      'the lighting', 'fix the lighting', 'lighting is', 'golden hour', 'golden time', 'sunset lighting', 'sunset light', 'studio light', 'studio lighting',
      'soft light', 'warm light', 'cool light', 'harsh light', 'natural light', 'neon light', 'window light', 'shadow from window', 'backlight', 'backlit', 'in shadow', 'shadows on',
      'chiếu sáng', 'ánh sáng', 'đổi ánh sáng', 'thêm ánh sáng', 'làm sáng',
    ],
    examples: ['relight it from the left with warm light', 'add dramatic light from the top right', 'chiếu sáng ảnh này từ bên trái'],
    extract,
  },
  chat: { imageField: 'image' },
  input: relightInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call(
      'relight',
      { image, direction: input.direction, intensity: input.intensity, warmth: input.warmth, ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result);
  },
});

import { chosenOutput, chosenProvider, defineFeature, imageInput, outputOptions, providerChoice, toFeatureOutput } from '@darkroom/core';
import { z } from 'zod';

export const enhanceInput = z.object({
  image: imageInput,
  denoise: z.number().min(0).max(1).default(0.3),
  sharpen: z.number().min(0).max(1).default(0.4),
  auto_levels: z.boolean().default(true),
  ...outputOptions,
  ...providerChoice,
});

/** Clean up a photo: less noise, crisper detail, full tonal range. */
export const enhanceFeature = defineFeature({
  id: 'enhance',
  description: 'Enhance image quality (denoise, sharpen, auto-levels)',
  capability: 'enhance',
  intents: {
    name: 'image_enhance',
    keywords: ['enhance', 'improve the quality', 'improve quality', 'fix the quality', 'better quality', 'denoise', 'reduce noise', 'sharpen', 'auto levels', 'auto-enhance',
      // What is wrong with the photo: blur, noise, haze, too dark ("make this photo less blurry", "remove the noise").
      'blur', 'blurry', 'blurred', 'blurriness', 'blurring', 'deblur', 'deblurring', 'unblur', 'less blurry', 'out of focus', 'fuzzy',
      'noise', 'noisy', 'grain', 'grainy', 'denoising', 'haze', 'hazy', 'haziness', 'dehaze', 'dehazing', 'fog', 'foggy', 'mist', 'misty',
      'clear', 'fuzziness', 'glow', 'sharper', 'sharpness', 'sharpening', 'clearer', 'clarity', 'crisper', 'more detail', 'details', 'distortion', 'distortions', 'artifacts',
      'brightness', 'brightening', 'luminosity', 'radiance', 'brilliance', 'illumination', 'light levels', 'low light', 'too dark', 'underexposed',
      'fix the photo', 'fix this photo', 'restore', 'clean up the photo',
      'nâng cao chất lượng', 'cải thiện chất lượng', 'khử nhiễu', 'làm nét', 'tăng chất lượng', 'nét hơn', 'rõ hơn', 'làm rõ', 'bớt mờ', 'mờ', 'nhòe', 'nhiễu',
      'độ sáng', 'tăng độ sáng', 'sương mù', 'khử mờ',
    ],
    // Clearing snow or rain off a photo is not a restoration this feature does.
    excludes: /(?<![\p{L}])(?:remove|removing|rid of|eliminate|delete|clear|erase|xóa|xoá|bỏ)(?![\p{L}])[^.!?]*(?<![\p{L}])(?:snow|rain|raindrops|tuyết|mưa)(?![\p{L}])/iu,
    examples: ['enhance this photo', 'denoise and sharpen it', 'can someone make this photo less blurry?', 'remove the noise and haze', 'làm nét ảnh này', 'làm ảnh này bớt mờ'],
    extract: (text) => ({
      ...(/\b(?:denoise|noise|grain|nhieu)\b|nhiễu/iu.test(text) ? { denoise: 0.7 } : {}),
      ...(/\b(?:sharpen|sharper|crisp|lam net)\b|làm nét/iu.test(text) ? { sharpen: 0.8 } : {}),
    }),
  },
  chat: { imageField: 'image' },
  input: enhanceInput,
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call(
      'enhance',
      { image, denoise: input.denoise, sharpen: input.sharpen, autoLevels: input.auto_levels, ...chosenOutput(input) },
      chosenProvider(input),
    );
    return toFeatureOutput(result);
  },
});

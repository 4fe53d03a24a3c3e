import { defineFeature, definePlugin, maxPromptLength, z } from '@darkroom/plugin-api';

/**
 * A third-party feature composed of two provider capabilities: a portrait (2:3) image, then a 2×
 * upscale of it. Published as an npm package whose default export is the plugin, it is loaded by
 * name: `DARKROOM_PLUGINS=darkroom-plugin-poster npm start`.
 */
export const posterFeature = defineFeature({
  id: 'poster',
  description: 'Make a print-ready portrait poster from a description',
  capability: 'text-to-image',
  intents: {
    name: 'poster_create',
    // Not the bare word "poster": the built-in upscale feature reads "poster" as "print it larger".
    keywords: ['make a poster', 'poster of', 'design a poster', 'áp phích', 'tạo áp phích', 'làm poster'],
    examples: ['make a poster of a jazz night', 'tạo áp phích lễ hội âm nhạc'],
  },
  chat: { promptField: 'prompt' },
  input: z.object({ prompt: z.string().trim().min(1).max(maxPromptLength), seed: z.number().int().min(0).optional() }),
  async run(input, context) {
    const art = await context.call('text-to-image', { prompt: input.prompt, width: 512, height: 768, ...(input.seed !== undefined ? { seed: input.seed } : {}) });
    context.progress(50);
    const print = await context.call('upscale', { image: art.images[0]!, scale: 2 });
    return {
      images: print.images,
      provider: `${art.provider}+${print.provider}`,
      model: `${art.model}+${print.model}`,
      ...(art.seed !== undefined ? { seed: art.seed } : {}),
      metadata: { ...art.metadata, poster: { width: 1024, height: 1536 } },
    };
  },
});

export default definePlugin({ name: 'darkroom-plugin-poster', features: [posterFeature] });

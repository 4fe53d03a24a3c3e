import sharp from 'sharp';
import { z } from 'zod';
import { defineFeature, definePlugin, defineProvider, imageInput } from '@darkroom/plugin-api';

/** A solid-colour PNG of the given size, for tests. */
export async function solidPng(width: number, height: number, color = { r: 200, g: 80, b: 40 }): Promise<Uint8Array> {
  const key = `${width}x${height}:${color.r},${color.g},${color.b}`;
  let encoded = encodedPngs.get(key);
  if (!encoded) {
    if (encodedPngs.size >= 64) encodedPngs.clear();
    encoded = sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
    encodedPngs.set(key, encoded);
  }
  // A copy each time: callers own what they get.
  return new Uint8Array(await encoded);
}

/** PNGs encoded once per size and colour: the instant provider answers without encoding again (benchmarks measure the engine, not sharp). */
const encodedPngs = new Map<string, Promise<Buffer>>();

/** Test features shaped like the real plugins, so core is tested without importing any plugin. */
export const paintFeature = defineFeature({
  id: 'paint',
  description: 'Paint a picture',
  capability: 'text-to-image',
  intents: { name: 'image_generate', keywords: ['create', 'paint', 'draw', 'tạo ảnh', 'vẽ'], examples: ['paint a boat'] },
  chat: { promptField: 'prompt', negativePromptField: 'negative_prompt' },
  input: z.object({ prompt: z.string().min(1), negative_prompt: z.string().optional(), size: z.number().int().min(8).max(512).default(16), seed: z.number().int().optional() }),
  async run(input, context) {
    const result = await context.call('text-to-image', { prompt: input.prompt, width: input.size, height: input.size, ...(input.seed !== undefined ? { seed: input.seed } : {}) });
    return { images: result.images, provider: result.provider, model: result.model, metadata: {} };
  },
});

export const enlargeFeature = defineFeature({
  id: 'enlarge',
  description: 'Enlarge an image',
  capability: 'upscale',
  intents: { name: 'image_upscale', keywords: ['upscale', 'enlarge', 'phóng to'], examples: ['upscale it'], extract: (text) => (/4x/.test(text) ? { scale: 4 } : {}) },
  chat: { imageField: 'image' },
  input: z.object({ image: imageInput, scale: z.union([z.literal(2), z.literal(4)]).default(2) }),
  async run(input, context) {
    const image = await context.images.load(input.image);
    const result = await context.call('upscale', { image, scale: input.scale });
    return { images: result.images, provider: result.provider, model: result.model, metadata: {} };
  },
});

/**
 * A feature whose images are in fields not named `image`, as a third-party plugin may declare them:
 * one `reference` and a list of `extras`. It enlarges the reference 2× and reports the size of each
 * image it loaded (`metadata.loaded`, `<width>x<height>`, the reference first).
 */
export const collageFeature = defineFeature({
  id: 'collage',
  description: 'Lay reference photos side by side',
  capability: 'upscale',
  intents: { name: 'image_collage', keywords: ['collage'], examples: ['make a collage'] },
  input: z.object({
    reference: imageInput.describe('The photo the collage starts from'),
    extras: z.array(imageInput).max(4).optional().describe('More photos to lay beside it'),
    title: z.string().max(100).optional(),
  }),
  async run(input, context) {
    const loaded = await Promise.all([input.reference, ...(input.extras ?? [])].map((image) => context.images.load(image)));
    const result = await context.call('upscale', { image: loaded[0]!, scale: 2 });
    return { images: result.images, provider: result.provider, model: result.model, metadata: { loaded: loaded.map((image) => `${image.width}x${image.height}`) } };
  },
});

/** An instant provider: real image bytes, no waiting. */
export function createInstantProvider(id = 'instant') {
  return defineProvider({
    id,
    models: [{ id: 'instant-1', capabilities: ['text-to-image', 'upscale'] }],
    handlers: {
      'text-to-image': async (request) => ({ images: [{ bytes: await solidPng(request.width, request.height), mimeType: 'image/png', width: request.width, height: request.height }], seed: request.seed ?? 1 }),
      upscale: async (request) => {
        const width = request.image.width * request.scale;
        const height = request.image.height * request.scale;
        const bytes = new Uint8Array(await sharp(request.image.bytes).resize(width, height).png().toBuffer());
        return { images: [{ bytes, mimeType: 'image/png', width, height }] };
      },
    },
  });
}

export const testPlugin = definePlugin({ name: 'test-plugin', features: [paintFeature, enlargeFeature] });

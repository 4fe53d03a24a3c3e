import { defineProvider, defaultImageLimits, type Provider } from '@darkroom/core';
import sharp from 'sharp';
import { drawPlaceholder } from './draw-placeholder.js';
import { upscaleLanczos } from './upscale-lanczos.js';

export interface LocalProviderSettings {
  /** Largest input accepted by sharp (decompression-bomb guard). */
  maxPixels?: number;
  /** Threads sharp (libvips) may use; defaults to the number of cores. */
  concurrency?: number;
}

/** Model id of the development stand-in for text-to-image. */
export const placeholderModelId = 'placeholder-not-ai';

/**
 * The local provider: image operations on this machine's CPU with sharp. Its text-to-image model
 * is a labelled development placeholder, chosen only when no real provider can serve.
 *
 * @example
 * const engine = await createEngine({ plugins: [upscale], providers: [createLocalProvider()] });
 */
export function createLocalProvider(settings: LocalProviderSettings = {}): Provider {
  const maxPixels = settings.maxPixels ?? defaultImageLimits.maxPixels;
  if (settings.concurrency) sharp.concurrency(settings.concurrency);
  return defineProvider({
    id: 'local',
    displayName: 'Local (CPU, sharp)',
    models: [
      { id: 'lanczos3', capabilities: ['upscale'], description: 'Lanczos-3 resampling with optional sharpening (sharp/libvips)' },
      {
        id: placeholderModelId,
        capabilities: ['text-to-image'],
        placeholder: true,
        description: 'DEVELOPMENT PLACEHOLDER, NOT AI: draws a deterministic abstract scene from the prompt and seed',
      },
    ],
    handlers: {
      upscale: (request) => upscaleLanczos(request, { maxPixels }),
      'text-to-image': (request) => drawPlaceholder(request),
    },
    async health() {
      return { ok: true, details: { sharp: sharp.versions, threads: sharp.concurrency() } };
    },
  });
}

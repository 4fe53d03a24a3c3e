import { defineProvider, defaultImageLimits, type Provider } from '@darkroom/core';
import sharp from 'sharp';
import { createPixelPool } from './create-pixel-pool.js';
import { drawPlaceholder } from './draw-placeholder.js';
import { upscaleLanczos } from './upscale-lanczos.js';

export interface LocalProviderSettings {
  /** Largest input accepted by sharp (decompression-bomb guard). */
  maxPixels?: number;
  /** Threads sharp (libvips) may use; defaults to the number of cores. */
  concurrency?: number;
  /** Worker threads for pixel operations; defaults to cores − 1 (at least 1, at most 4). */
  workers?: number;
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
  const pool = createPixelPool({ ...(settings.workers ? { size: settings.workers } : {}) });
  return defineProvider({
    id: 'local',
    displayName: 'Local (CPU, sharp)',
    models: [
      { id: 'lanczos3', capabilities: ['upscale'], description: 'Lanczos-3 resampling (centre-aligned, on worker threads) with optional sharpening' },
      {
        id: placeholderModelId,
        capabilities: ['text-to-image'],
        placeholder: true,
        description: 'DEVELOPMENT PLACEHOLDER, NOT AI: draws a deterministic abstract scene from the prompt and seed',
      },
    ],
    handlers: {
      upscale: (request, { signal }) => upscaleLanczos(request, { maxPixels, pool, signal }),
      'text-to-image': (request) => drawPlaceholder(request),
    },
    async health() {
      return { ok: true, details: { sharp: sharp.versions, threads: sharp.concurrency(), pixel_workers: pool.size } };
    },
    close: () => pool.close(),
  });
}

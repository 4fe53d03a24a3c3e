import { DarkroomError, type CapabilityRequest, type CapabilityResult } from '@darkroom/core';
import type { PixelPool } from './create-pixel-pool.js';
import { decodeRaw, encodeRaw } from './raw-image.js';

/** Where the light comes from, as a vector from the image centre (y grows downward). */
export const lightDirections = {
  left: [-1, 0], right: [1, 0], top: [0, -1], bottom: [0, 1],
  'top-left': [-1, -1], 'top-right': [1, -1], 'bottom-left': [-1, 1], 'bottom-right': [1, 1],
} as const satisfies Record<string, readonly [number, number]>;

export async function relightImage(request: CapabilityRequest<'relight'>, options: { pool: PixelPool; maxPixels: number; signal: AbortSignal }): Promise<CapabilityResult<'relight'>> {
  const direction = lightDirections[request.direction as keyof typeof lightDirections];
  if (!direction) throw new DarkroomError({ code: 'invalid_input', message: `Unknown light direction ${JSON.stringify(request.direction)}; use one of ${Object.keys(lightDirections).join(', ')}` });
  const raw = await decodeRaw(request.image, options.maxPixels);
  const pixels = await options.pool.run('relightPixels', [raw.pixels, raw.width, raw.height, raw.channels, direction[0], direction[1], request.intensity, request.warmth ?? 0], options.signal);
  const image = await encodeRaw({ ...raw, pixels }, request.image, request);
  return { images: [image], metadata: { direction: request.direction, intensity: request.intensity, warmth: request.warmth ?? 0, method: 'directional falloff' } };
}

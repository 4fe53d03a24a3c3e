import type { AnyFeature } from '@darkroom/plugin-api';

/**
 * The work units one call of a feature costs: one per image it asks for (the integer in its
 * `chat.countField`, e.g. `num_images`, `variations`), at least 1. Rate limits charge it before the
 * work starts; a chat turn costs the sum over its steps.
 *
 * @example
 * featureWorkUnits(generateFeature, { prompt: 'a fox', num_images: 3 }); // 3
 */
export function featureWorkUnits(feature: AnyFeature, input: unknown): number {
  const field = feature.chat.countField;
  const count = field && typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[field] : undefined;
  return typeof count === 'number' && Number.isInteger(count) && count > 1 ? count : 1;
}

import { DarkroomError } from '@darkroom/core';
import type { StudioFeature } from './studio.js';

/**
 * The feature named `id` among `features`.
 *
 * @throws DarkroomError `not_found` listing the features there are (`details.features`).
 */
export function findFeature(features: StudioFeature[], id: string): StudioFeature {
  const feature = features.find((candidate) => candidate.id === id);
  if (feature) return feature;
  const ids = features.map((candidate) => candidate.id);
  throw new DarkroomError({ code: 'not_found', message: `No feature ${JSON.stringify(id)}; features: ${ids.join(', ')} (darkroom features describes their options)`, details: { features: ids } });
}

import { definePlugin } from '@darkroom/core';
import { objectRemovalFeature } from './object-removal-feature.js';

export * from './object-removal-feature.js';

export default definePlugin({ name: '@darkroom/plugin-object-removal', features: [objectRemovalFeature] });

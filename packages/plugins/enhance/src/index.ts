import { definePlugin } from '@darkroom/core';
import { enhanceFeature } from './enhance-feature.js';

export * from './enhance-feature.js';

export default definePlugin({ name: '@darkroom/plugin-enhance', features: [enhanceFeature] });

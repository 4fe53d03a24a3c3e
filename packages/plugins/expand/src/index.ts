import { definePlugin } from '@darkroom/core';
import { expandFeature } from './expand-feature.js';

export * from './expand-feature.js';

export default definePlugin({ name: '@darkroom/plugin-expand', features: [expandFeature] });

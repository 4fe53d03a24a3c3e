import { definePlugin } from '@darkroom/core';
import { removeBackgroundFeature } from './remove-background-feature.js';

export * from './remove-background-feature.js';

export default definePlugin({ name: '@darkroom/plugin-remove-background', features: [removeBackgroundFeature] });

import { definePlugin } from '@darkroom/core';
import { reimagineFeature } from './reimagine-feature.js';

export * from './reimagine-feature.js';

export default definePlugin({ name: '@darkroom/plugin-reimagine', features: [reimagineFeature] });

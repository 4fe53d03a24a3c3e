import { definePlugin } from '@darkroom/core';
import { generateFeature } from './generate-feature.js';

export { generateFeature, generateInput, sizeFor, aspectRatios } from './generate-feature.js';

export default definePlugin({ name: '@darkroom/plugin-generate', features: [generateFeature] });

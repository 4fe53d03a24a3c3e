import { definePlugin } from '@darkroom/core';
import { upscaleFeature } from './upscale-feature.js';

export { upscaleFeature, upscaleInput } from './upscale-feature.js';

export default definePlugin({ name: '@darkroom/plugin-upscale', features: [upscaleFeature] });

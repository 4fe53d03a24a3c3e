import { definePlugin } from '@darkroom/core';
import { relightFeature } from './relight-feature.js';

export * from './relight-feature.js';

export default definePlugin({ name: '@darkroom/plugin-relight', features: [relightFeature] });

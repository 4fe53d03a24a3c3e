import { definePlugin } from '@darkroom/core';
import { styleTransferFeature } from './style-transfer-feature.js';

export * from './style-transfer-feature.js';

export default definePlugin({ name: '@darkroom/plugin-style-transfer', features: [styleTransferFeature] });

export { createLocalProvider, placeholderModelId, type LocalProviderSettings } from './create-local-provider.js';
export type { OnnxImageModel } from './run-image-model.js';

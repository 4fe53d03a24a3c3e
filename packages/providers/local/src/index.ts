export { createLocalProvider, placeholderModelId, type LocalProviderSettings } from './create-local-provider.js';

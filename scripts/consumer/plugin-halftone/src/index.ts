import { definePlugin } from '@darkroom/plugin-api';
import { dotsProvider } from './dots-provider.js';
import { halftoneFeature } from './halftone-feature.js';

export { dotsProvider, halftoneFeature };
export default definePlugin({ name: 'darkroom-plugin-halftone', features: [halftoneFeature], providers: [dotsProvider] });

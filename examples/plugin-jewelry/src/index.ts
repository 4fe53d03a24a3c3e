import { definePlugin } from '@darkroom/plugin-api';
import { jewelryDesignFeature } from './jewelry-design-feature.js';

export { jewelryDesignFeature, jewelryDesignInput, propertiesOf, designSize } from './jewelry-design-feature.js';
export { buildJewelryPrompt } from './build-jewelry-prompt.js';
export { extractJewelryProperties } from './extract-jewelry-properties.js';
export { reviseJewelryDesign } from './revise-jewelry-design.js';
export * from './jewelry-properties.js';

/**
 * The jewellery designer of seed 004 as a Darkroom plugin: the `jewelry-design` feature and the
 * seed's own routes. Load it by name: `DARKROOM_PLUGINS=darkroom-plugin-jewelry npm start`.
 */
export default definePlugin({ name: 'darkroom-plugin-jewelry', features: [jewelryDesignFeature] });

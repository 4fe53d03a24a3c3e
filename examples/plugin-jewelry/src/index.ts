import { definePlugin } from '@darkroom/plugin-api';
import { jewelryDesignFeature } from './jewelry-design-feature.js';
import { chatRouteHandler } from './routes/chat-route.js';
import { conversationRoutes } from './routes/conversation-routes.js';
import { generateRoutes } from './routes/generate-routes.js';

export { jewelryDesignFeature, jewelryDesignInput, propertiesOf, designSize } from './jewelry-design-feature.js';
export { buildJewelryPrompt } from './build-jewelry-prompt.js';
export { extractJewelryProperties } from './extract-jewelry-properties.js';
export { reviseJewelryDesign } from './revise-jewelry-design.js';
export * from './jewelry-properties.js';
// The route declarations, for typed clients: `client.call(chatRoute, { body })`.
export { chatRoute } from './routes/chat-route.js';
export { listConversationsRoute, createConversationRoute, getConversationRoute, updateConversationRoute, deleteConversationRoute } from './routes/conversation-routes.js';
export { generateSketchRoute, generateRenderRoute } from './routes/generate-routes.js';
export * as seedSchemas from './routes/seed-schemas.js';

/**
 * The jewellery designer of seed 004 as a Darkroom plugin: the `jewelry-design` feature and the
 * seed's own routes: `POST /api/v1/chat`, `GET|POST /api/v1/conversations`,
 * `GET|PATCH|DELETE /api/v1/conversations/{id}`, `POST /api/v1/generate/2d` and `/3d`. Load it by name: `DARKROOM_PLUGINS=darkroom-plugin-jewelry npm start`.
 */
export default definePlugin({ name: 'darkroom-plugin-jewelry', features: [jewelryDesignFeature], routes: [chatRouteHandler, ...conversationRoutes, ...generateRoutes] });

/**
 * The Darkroom HTTP API contract: every route (method, path, operation id, documentation, zod
 * schemas of its body, query, answers and events), shared by the server (validation, OpenAPI) and
 * `@darkroom/client` (paths and types). Depends on zod and the plugin API only: the route
 * declaration shape (`ApiRoute`, `defineRoute`, the type helpers) is `@darkroom/plugin-api`'s, the
 * one a plugin's own routes are declared with, re-exported here as it is.
 */
export { defineRoute, fillPath, takesBody, type ApiResponse, type ApiRoute, type PathParamNames, type PathParams, type RequestBody, type RequestQuery, type ResponseBody, type StreamEvent } from '@darkroom/plugin-api';
export { apiRoutes, type ApiRouteTable, type OperationId } from './api-routes.js';
/** How a route body's image fields are told (the client reads the static routes' with it; features list theirs in `image_fields`). */
export { imageFieldsOf, type ImageField } from '@darkroom/plugin-api';
export type { JsonSchema } from './json-schema.js';
export { assetQuery, signedUrl, signRequest } from './schemas/asset-schemas.js';
export { history, historyQuery, message, newSession, sendMessage, sentMessage, session, sessionChanges, sessionPage, sessionQuery } from './schemas/chat-schemas.js';
export { attempt, errorBody, idParam, imageOrUrlInput, imageReference, imageUrlInput, webhookUrl } from './schemas/common-schemas.js';
export { finalJobEvents, jobEvents, sessionEvents } from './schemas/event-schemas.js';
export { featureInfo, featureList, featureResult } from './schemas/feature-schemas.js';
export { galleryItem, galleryPage, galleryQuery, newGalleryItemBody } from './schemas/gallery-schemas.js';
export { generateRequest, generateResponse } from './schemas/image-generation-schemas.js';
export { liveness, modelList, providerHealth, readiness } from './schemas/health-schemas.js';
export { acceptedJob, job, jobPage, jobQuery, jobState, jobSummary, serializedError } from './schemas/job-schemas.js';
export { refinement, refineRequest, validateRequest, validation } from './schemas/prompt-schemas.js';

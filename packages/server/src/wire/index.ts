/**
 * The HTTP edge's one serializer: engine domain values (camelCase, epoch ms) to the seeds' wire
 * format (snake_case, ISO 8601 times), one explicit function per shape. Events have theirs in
 * `../events/to-wire-event.ts`.
 */
export { isoTime, isoTimeOrNull } from './iso-time.js';
export { toWireImageReference, toWireMessageImage, type WireImageReference } from './to-wire-image-reference.js';
export { toWireSession, type WireSession } from './to-wire-session.js';
export { toWireMessage, toWireMessagePage, type WireMessage, type WireMessagePage } from './to-wire-message.js';
export { toWireSentMessage, type WireSentMessage } from './to-wire-sent-message.js';
export { toWireGalleryItem, toWireGalleryPage, type WireGalleryItem } from './to-wire-gallery-item.js';
export { toWireFeatureResult, type WireFeatureResult } from './to-wire-feature-result.js';
export { toWireJob, toWireJobResult, type WireJob, type WireStep } from './to-wire-job.js';
export { toWireChatPlan, type WireChatPlan, type WirePlanStep } from './to-wire-chat-plan.js';
export { toWireRefinement, toWirePromptValidation, type WireRefinement, type WirePromptValidation } from './to-wire-refinement.js';
export { toWireReadiness, toWireHealth, type WireReadiness, type WireProviderHealth } from './to-wire-readiness.js';
export { wireAssetUrl } from './wire-asset-url.js';

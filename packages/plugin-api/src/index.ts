// The plugin API: what a feature or provider plugin is written against — capability types, the
// define* factories, the HTTP route shape and the user-bound studio a plugin's routes use, typed
// errors and zod's `z`. It carries no runtime (no database, no image codec),
// so a plugin package depends on this alone; @darkroom/core re-exports all of it for host apps.
export { z } from 'zod';
export { DarkroomError, errorStatus, toDarkroomError, type ErrorCode, type SerializedError, type DarkroomErrorOptions } from './errors/darkroom-error.js';
export { errors } from './errors/errors.js';
export * from './spec/capabilities.js';
export * from './spec/image-data.js';
export { maxPromptLength } from './spec/max-prompt-length.js';
export { textLength, cutText } from './spec/text-length.js';
export { isBlankText } from './spec/is-blank-text.js';
export { maxMessageLength, maxMessagePage } from './spec/message-limits.js';
export { maxSessionTitleLength, maxSessionDescriptionLength, maxSessionPage } from './spec/session-limits.js';
export type { StepCheckpoint } from './spec/step-checkpoint.js';
export type { ImagesAtHand } from './spec/images-at-hand.js';
export { defineFeature, type ProviderCallOptions, type Feature, type AnyFeature, type FeatureDefinition, type FeatureContext, type FeatureIntents, type FeatureChatBinding } from './plugin/define-feature.js';
export { defineProvider, type Provider, type ProviderDefinition, type ProviderHandlers, type ModelInfo, type ProviderCallContext, type ProviderHealth } from './plugin/define-provider.js';
export { definePlugin, isPlugin, type Plugin } from './plugin/define-plugin.js';
export { definePluginRoute, type AnyPluginRoute, type PluginRoute, type PluginRouteReply, type PluginRouteRequest } from './plugin/define-plugin-route.js';
export { pluginProblem } from './plugin/plugin-problem.js';
export { pluginRouteProblem } from './plugin/plugin-route-problem.js';
export { defineRoute, fillPath, takesBody, type ApiResponse, type ApiRoute, type PathParamNames, type PathParams, type RequestBody, type RequestQuery, type ResponseBody, type StreamEvent } from './spec/api-route.js';
export type { StudioFeatureResult, StudioGalleryItem, StudioImage, StudioMessage, StudioMessageInput, StudioPage, StudioSentMessage, StudioSession, StudioTurn, UserStudio } from './spec/user-studio.js';
export { imageInput, expectedImage, isAssetReference, outputFormat, outputOptions, hexColour, type ImageInput } from './plugin/image-input.js';
export { imageFieldsOf, isImageSchema, imageSchemaKeyword, type ImageField } from './plugin/image-fields-of.js';
export { imageFeatureOutput, producedImage, type ImageFeatureOutput } from './plugin/feature-output.js';
export { providerChoice, chosenProvider, chosenOutput, generationOptions, chosenGeneration, toFeatureOutput } from './plugin/feature-helpers.js';

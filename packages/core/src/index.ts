// Everything a plugin is written against (types, define*, errors, z) comes from @darkroom/plugin-api;
// host apps get it here too, beside the runtime.
export * from '@darkroom/plugin-api';
export { loadPlugins, type PluginSource } from './plugin/load-plugins.js';
export { FeatureRegistry, toFeatureTool, type FeatureTool } from './registry/feature-registry.js';
export { featureWorkUnits } from './registry/feature-work-units.js';
export { scopeIdempotencyKey } from './engine/scope-idempotency-key.js';
export { PluginRouteRegistry, type RegisteredPluginRoute } from './registry/plugin-route-registry.js';
export { foldText, looksVietnamese } from './intent/fold-text.js';
export { ProviderManager, type RoutingConfig, type ProviderAttempt, type ModelListing, type ProviderHealthReport } from './providers/provider-manager.js';
export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './providers/circuit-breaker.js';
export type { IntentDetector, Detection, DetectedStep, DetectionContext } from './intent/intent-detector.js';
export { createRuleBasedDetector } from './intent/create-rule-based-detector.js';
export { createProviderDetector } from './intent/create-provider-detector.js';
export { intentInstruction, describeTool, describeImagesAtHand, stepHints, stepHintProperties } from './intent/intent-instruction.js';
export { createProviderRefiner } from './prompt/create-provider-refiner.js';
export { IntentRouter, type ChatPlan, type PlanStep, type PlanImage } from './intent/intent-router.js';
export { renameChatPlan, type SnakeCaseChatPlan } from './store/rename-chat-plan.js';
export type { PromptRefiner, Refinement, PromptValidation, RefineContext } from './prompt/prompt-refiner.js';
export { createRuleBasedRefiner } from './prompt/create-rule-based-refiner.js';
export { parseRefinement } from './prompt/parse-refinement.js';
export { sniffImageType } from './images/sniff-image-type.js';
export { inspectImage, defaultImageLimits, type ImageLimits } from './images/inspect-image.js';
export { uprightImage } from './images/upright-image.js';
export { encodeImage, outputFormatFor, outputMimeTypes, defaultBackground, type EncodeOptions } from './images/encode-image.js';
export { maxJsonDepth, jsonTextDepth, jsonValueDepth } from './json/json-depth.js';
export { checkWellFormedText } from './json/check-well-formed-text.js';
export { untilAborted } from './providers/until-aborted.js';
export { expectedOutputSize, assertOutputSize } from './images/expected-output-size.js';
export type { AssetStorage, StoredFile } from './storage/asset-storage.js';
export { contentKey } from './storage/content-key.js';
export { createLocalAssetStorage } from './storage/create-local-asset-storage.js';
export { createMemoryAssetStorage } from './storage/create-memory-asset-storage.js';
export { createDatabase, type Database, type DatabaseConfig } from './store/create-database.js';
export { createUnitOfWork, runInUnitOfWork, joinUnitOfWork, afterUnitOfWork, isInUnitOfWork, type UnitOfWork } from './store/unit-of-work.js';
export {
  maxMessagePage,
  type ConversationStore,
  type Session,
  type Message,
  type MessageStatus,
  type MessageImage,
  type MessageQuery,
  type MessagePage,
  type MessageChangesQuery,
  type NewMessage,
  type MessageData,
  type DetectedIntentRecord,
  type ImageReference,
  type SessionQuery,
  type SessionPage,
  type SessionChanges,
} from './store/conversation-store.js';
export { parseSessionPageQuery, sessionPageCursor, type SessionPageQuery, type SessionListPosition } from './store/session-page-query.js';
export { createSqlConversationStore } from './store/create-sql-conversation-store.js';
export { sessionDeletedError } from './store/session-deleted-error.js';
export { toStoredMessageData, fromStoredMessageData, storedMessageDataFields, type StoredMessageData, type StoredMessageImage } from './store/stored-message-data.js';
export type { GalleryStore, GalleryItem, NewGalleryItem, GalleryQuery, GalleryPage, GallerySource, Origin } from './store/gallery-store.js';
export { createSqlGalleryStore } from './store/create-sql-gallery-store.js';
export { metadataWithOrigin } from './store/metadata-with-origin.js';
export type { AssetStore, AssetRecord, NewAsset, RemovedAsset } from './store/asset-store.js';
export { createSqlAssetStore } from './store/create-sql-asset-store.js';
export type { WebhookOutbox, JobWebhook } from './store/webhook-outbox.js';
export { createSqlWebhookOutbox } from './store/create-sql-webhook-outbox.js';
export type { JobBackend } from './jobs/job-backend.js';
export type { JobQueue } from './jobs/job-queue.js';
export type { CheckpointStore, StepLease } from './jobs/checkpoint-store.js';
export type { IdempotencyStore, IdempotencyRecord } from './store/idempotency-store.js';
export { createSqlJobQueue } from './jobs/create-sql-job-queue.js';
export { createSqlCheckpointStore } from './jobs/create-sql-checkpoint-store.js';
export { createSqlIdempotencyStore } from './store/create-sql-idempotency-store.js';
export { idempotentJobId } from './jobs/idempotent-job-id.js';
export { leaseLostError, isLeaseLost } from './jobs/lease-lost-error.js';
export { probeDatabase } from './store/probe-database.js';
export type { JobRecord, JobState, StepRecord, NewJob, JobOutcome, QueueLimits, JobListQuery, JobPage } from './jobs/job-types.js';
export { maxJobPage } from './jobs/job-types.js';
export { createSqlJobBackend } from './jobs/create-sql-job-backend.js';
export { queueFullError } from './jobs/queue-full-error.js';
export { defineWorkflow, type Workflow, type WorkflowContext, type StepContext } from './jobs/define-workflow.js';
export { memoryCheckpoint, scopeCheckpoint } from './jobs/scope-checkpoint.js';
export { WorkflowRunner, defaultRunnerOptions, type RunnerOptions } from './jobs/workflow-runner.js';
export { EventBus, type EngineEvent, type EngineEventListener } from './events/event-bus.js';
export type { EventTransport, EventTransportStats } from './events/event-transport.js';
export { createInProcessEventTransport } from './events/create-in-process-event-transport.js';
export { createPostgresEventTransport, postgresNotifyMaxBytes, type PostgresEventTransportOptions } from './events/create-postgres-event-transport.js';
export { createWireEventTransport, type EventWire, type EventWireHooks, type WireEventTransportOptions } from './events/create-wire-event-transport.js';
export { encodeEventWireMessage, decodeEventWireMessage, type EventWireMessage } from './events/event-wire-message.js';
export { eventTransportUnavailableError, type EventTransportUnavailable } from './events/event-transport-unavailable-error.js';
export { createEngine, type EngineOptions } from './engine/create-engine.js';
export { Engine, defaultUserId, type RunOptions, type Readiness, type EngineHealth, type Check, type StoreCheck } from './engine/engine.js';
export type { EngineStores } from './engine/engine-stores.js';
export type { EngineUserStudio, UserStudioOptions } from './engine/create-user-studio.js';
export type { StoredAsset } from './engine/asset-service.js';
export { holdImageBytes, type HeldImageBytes } from './engine/hold-image-bytes.js';
export type { FeatureRunResult, ResultImage } from './engine/feature-executor.js';
export { featureRunProgress } from './engine/feature-run-progress.js';
export type { Job } from './engine/job-service.js';
export { maxMessageLength, type SentMessage, type SendMessage } from './engine/chat-service.js';
export type { ChatJobResult } from './engine/workflows/create-chat-workflow.js';
export { newGalleryItem } from './engine/gallery-service.js';

export { describeJobBackendContract, type ContractSubject } from './describe-job-backend-contract.js';
export { describeEventTransportContract, describeEngineEventsAcrossProcesses, type EventTransportContractSubject } from './describe-event-transport-contract.js';
export { describeConversationStoreContract, type ConversationStoreSubject, type ConversationStoreContractOptions } from './describe-conversation-store-contract.js';
export { testDatabases, postgresUrl, type TestDatabase } from './test-databases.js';
export { describeProviderContract } from './describe-provider-contract.js';
export { testPlugin, paintFeature, enlargeFeature, createInstantProvider, solidPng } from './test-plugin.js';
export { answerIntentFromWire, readImagesAtHand, type WireIntentRequest, type WireCall, type WireIntentPolicy } from './answer-intent-from-wire.js';
export { describeIdempotencyStoreContract, type IdempotencyStoreSubject } from './describe-idempotency-store-contract.js';

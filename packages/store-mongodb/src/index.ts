export { createMongoConversationStore, type MongoConversationStoreOptions, type MongoConnection } from './create-mongo-conversation-store.js';
export type { SessionDocument, MessageDocument } from './session-document.js';
export { sessionIndexes } from './session-indexes.js';
export { maxSessionDocumentBytes } from './mongo-store-errors.js';

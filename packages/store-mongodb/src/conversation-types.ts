import type { ConversationStore } from '@darkroom/core';

// `@darkroom/core` still exports the engine's older snake_case `Message` under that name while the
// services move to the ConversationStore; the store's own message type is read off the interface.
/** A message as the ConversationStore answers it (camelCase, epoch ms). */
export type Message = NonNullable<Awaited<ReturnType<ConversationStore['getMessage']>>>;

export type {
  ConversationStore,
  DetectedIntentRecord,
  MessageChangesQuery,
  MessageData,
  MessageImage,
  MessagePage,
  MessageQuery,
  MessageStatus,
  NewMessage,
  Session,
} from '@darkroom/core';

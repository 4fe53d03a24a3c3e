import type { ConversationStore } from '../store/conversation-store.js';
import type { ChatJobInput } from './workflows/create-chat-workflow.js';

/**
 * Writes a chat turn's two messages (the user's, and the assistant's PROCESSING reply that `jobId`
 * completes) and makes an attached image the session's latest. Each write is keyed by the ids in
 * `input`, so writing them again changes nothing.
 */
export async function recordTurnMessages(conversations: ConversationStore, jobId: string, userId: string, input: ChatJobInput): Promise<void> {
  await conversations.insertMessageOnce({ id: input.userMessageId, sessionId: input.sessionId, userId, role: 'user', content: input.content, status: null, assetId: input.imageAssetId ?? null, createdAt: input.sentAt });
  await conversations.insertMessageOnce({ id: input.assistantMessageId, sessionId: input.sessionId, userId, role: 'assistant', content: '', status: 'PROCESSING', jobId, createdAt: input.sentAt + 1 });
  if (input.imageAssetId) await conversations.setLatestAsset(input.sessionId, input.imageAssetId);
}

import { cutText, type IntentTurn } from '@darkroom/plugin-api';
import type { Message } from '../store/conversation-store.js';

/** How many of a session's latest messages a turn's detection reads. */
export const intentHistoryMessages = 20;

/** The most characters of one message an intent model is shown. */
const maxTurnText = 2_000;

/**
 * A session's latest messages (in any order) as an intent model reads the conversation: oldest
 * first, user words and assistant replies, and for each finished assistant turn the features it ran
 * with the parameters they ran with (its intent records). A turn still running says nothing yet.
 */
export function toIntentHistory(messages: Message[]): IntentTurn[] {
  const ordered = [...messages].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const turns: IntentTurn[] = [];
  for (const message of ordered) {
    if (message.role === 'assistant' && message.status === 'PROCESSING') continue;
    const text = cutText(message.content, maxTurnText);
    const calls = message.role === 'assistant' && message.status === 'DONE' ? (message.data.intents ?? []).filter((intent) => intent.parameters).map((intent) => ({ name: intent.feature, args: intent.parameters! })) : [];
    turns.push({ role: message.role, text, ...(calls.length > 0 ? { calls } : {}) });
  }
  return turns;
}

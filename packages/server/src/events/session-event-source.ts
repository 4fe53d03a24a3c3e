import type { Engine, Message } from '@darkroom/core';
import type { StreamEventsOptions } from './stream-events.js';

/** Messages in a session stream's snapshot: the newest, as the first page of the message list. */
export const sessionSnapshotSize = 20;

/**
 * How far back each re-read looks before the previous one began: a row written by another process
 * whose clock lags, or whose transaction committed late, still falls inside the window. Rows seen
 * twice are told once (the stream remembers each assistant message's last told status).
 */
export const sessionRereadOverlapMs = 10_000;

const changesPerRead = 200;

/**
 * The session parts of a stream: a `snapshot` shaped like the first page of
 * `GET …/messages?limit=20` (`{ session_id, messages, next_cursor }`, newest first), and a `refresh`
 * that reads only the messages written since the previous read and answers a `message.updated`
 * (`{ session_id, message_id, job_id, status }`) for each assistant message whose status this stream
 * has not told yet, so turns finished by another server process reach the stream.
 */
export function sessionEventSource(engine: Engine, userId: string, sessionId: string): Pick<StreamEventsOptions, 'snapshot' | 'observe' | 'refresh'> {
  const told = new Map<string, string | null>();
  let since = Date.now();
  const tell = (message: Message) => {
    if (message.role !== 'assistant' || told.get(message.id) === message.status) return undefined;
    told.set(message.id, message.status);
    return { event: 'message.updated', data: { session_id: sessionId, message_id: message.id, job_id: message.job_id, status: message.status } };
  };
  const changedSince = async (from: number) => {
    const changed: Message[] = [];
    for (let after: Message | undefined; ; after = changed.at(-1)) {
      const read = await engine.chat.changes(userId, sessionId, { since: from, limit: changesPerRead, ...(after ? { after } : {}) });
      changed.push(...read);
      if (read.length < changesPerRead) return changed;
    }
  };
  return {
    snapshot: async () => {
      since = Date.now();
      // What the overlap window already holds is in the state the snapshot stands for: not news later.
      for (const message of await changedSince(since - sessionRereadOverlapMs)) tell(message);
      const page = await engine.chat.history(userId, sessionId, { limit: sessionSnapshotSize });
      for (const message of page.messages) tell(message);
      return { event: 'snapshot', data: { session_id: sessionId, ...page }, final: false };
    },
    observe: (entry) => {
      if (entry.event === 'message.updated') told.set(String(entry.data.message_id), String(entry.data.status));
    },
    refresh: async () => {
      const startedAt = Date.now();
      const events = [];
      for (const message of await changedSince(since - sessionRereadOverlapMs)) {
        const event = tell(message);
        if (event) events.push(event);
      }
      since = startedAt;
      return { events, final: false };
    },
  };
}

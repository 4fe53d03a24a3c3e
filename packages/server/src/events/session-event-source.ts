import type { Engine, Message } from '@darkroom/core';
import { toWireMessagePage } from '../wire/index.js';
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
 * With a cross-process event transport the session is still re-read this often, as a safety net.
 * Liveness no longer needs the re-read (other processes' `message.updated` arrive as events), but
 * pub/sub keeps nothing: an event published while its sender was disconnected from the transport
 * is lost, and the sender's side of that loss is invisible here. A re-read every 30 s bounds how
 * late such a turn's status can be told, at 1/15 of the reads of the 2 s polling it replaces.
 */
export const sessionSafetyNetMs = 30_000;

/**
 * The session parts of a stream: a `snapshot` shaped like the first page of
 * `GET …/messages?limit=20` (`{ session_id, messages, next_cursor }`, newest first), and a `refresh`
 * that reads only the messages written since the previous read and answers a `message.updated`
 * (`{ session_id, message_id, job_id, status }`) for each assistant message whose status this stream
 * has not told yet, so turns finished by another server process reach the stream.
 *
 * When the engine's event transport is cross-process (`engine.events.crossProcess`), `refresh` reads
 * only when this process may have missed events (the transport is disconnected, reconnected, or saw
 * a gap in another process's events since the last read) or {@link sessionSafetyNetMs} passed;
 * otherwise it answers nothing without reading. With the in-process transport it reads every time.
 */
export function sessionEventSource(engine: Engine, userId: string, sessionId: string, basePath = ''): Pick<StreamEventsOptions, 'snapshot' | 'observe' | 'refresh'> {
  const told = new Map<string, string | null>();
  let since = Date.now();
  const transport = engine.events;
  /** What the transport had seen at the last read: a change means events may have been missed. */
  let heard: { reconnects: number; missed: number };
  const mark = () => {
    const { reconnects, missed } = transport.stats();
    heard = { reconnects, missed };
  };
  mark();
  const mayHaveMissed = () => {
    const stats = transport.stats();
    return !stats.connected || stats.reconnects !== heard.reconnects || stats.missed !== heard.missed;
  };
  const tell = (message: Message) => {
    if (message.role !== 'assistant' || told.get(message.id) === message.status) return undefined;
    told.set(message.id, message.status);
    return { event: 'message.updated', data: { session_id: sessionId, message_id: message.id, job_id: message.jobId, status: message.status } };
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
      mark();
      // What the overlap window already holds is in the state the snapshot stands for: not news later.
      for (const message of await changedSince(since - sessionRereadOverlapMs)) tell(message);
      const page = await engine.chat.history(userId, sessionId, { limit: sessionSnapshotSize });
      for (const message of page.messages) tell(message);
      return { event: 'snapshot', data: toWireMessagePage(sessionId, page, basePath), final: false };
    },
    observe: (entry) => {
      if (entry.event === 'message.updated') told.set(String(entry.data.message_id), String(entry.data.status));
    },
    refresh: async () => {
      const startedAt = Date.now();
      if (transport.crossProcess && !mayHaveMissed() && startedAt - since < sessionSafetyNetMs) return { events: [], final: false };
      mark();
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

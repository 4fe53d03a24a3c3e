import { DarkroomError } from '@darkroom/core';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ServerEnv } from '../server-env.js';
import type { EventJournal, JournalEntry } from './event-journal.js';

/** How many event streams one user may hold open at once on one server. */
export const maxStreamsPerUser = 32;

export interface StreamEventsOptions {
  /** Open streams per user on this server (shared by all its stream routes). */
  openStreams: Map<string, number>;
  journal: EventJournal;
  key: string;
  /** The current state, sent first on a fresh connection or when resumption is impossible. */
  snapshot: () => Promise<{ event: string; data: unknown; final: boolean }>;
  /** An event after which the stream ends (a job's terminal event). */
  isFinal?: (entry: JournalEntry) => boolean;
  heartbeatMs?: number;
  /**
   * Re-reads the state every `pollMs` while waiting, for changes made by another server process
   * whose events do not reach this one (the in-process transport, or events lost while a
   * cross-process transport was disconnected): answers the events to send, and whether the stream
   * ends. It may answer nothing without reading (see `sessionEventSource`). A `not_found` rejection
   * means what the stream follows is gone (a deleted session, a job no longer kept): the stream ends.
   */
  refresh?: () => Promise<{ events: Array<{ event: string; data: unknown }>; final: boolean }>;
  /** Hears every journal entry this stream sends (so `refresh` can tell what is new). */
  observe?: (entry: JournalEntry) => void;
  pollMs?: number;
}

function lastEventId(c: Context<ServerEnv>): number | undefined {
  const raw = c.req.header('last-event-id') ?? c.req.query('last_event_id');
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/**
 * Server-Sent Events for one journal stream: a snapshot (or the missed events after `Last-Event-ID`),
 * then live events, with a heartbeat comment so proxies keep the connection open. It ends after a
 * final event, or once `refresh` finds what it follows gone.
 */
export function streamEvents(c: Context<ServerEnv>, options: StreamEventsOptions): Response {
  const { openStreams } = options;
  const user = c.get('userId');
  const open = openStreams.get(user) ?? 0;
  if (open >= maxStreamsPerUser) {
    throw new DarkroomError({ code: 'rate_limited', message: `At most ${maxStreamsPerUser} event streams may be open at once per user; close one first`, retryable: true, details: { max_streams: maxStreamsPerUser } });
  }
  openStreams.set(user, open + 1);
  c.header('Cache-Control', 'no-cache, no-transform');
  c.header('X-Accel-Buffering', 'no');
  const json = (data: unknown) => JSON.stringify(data);
  return streamSSE(c, async (stream) => {
    const queue: JournalEntry[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const off = options.journal.subscribe(options.key, (entry) => {
      queue.push(entry);
      wake?.();
    });
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    try {
      let sent = 0;
      const after = lastEventId(c);
      const missed = after === undefined ? undefined : options.journal.since(options.key, after);
      let final = false;
      if (missed === undefined) {
        const at = options.journal.lastId(options.key);
        const snapshot = await options.snapshot();
        await stream.writeSSE({ id: String(at), event: snapshot.event, data: json(snapshot.data) });
        sent = at;
        final = snapshot.final;
      } else {
        for (const entry of missed) {
          options.observe?.(entry);
          await stream.writeSSE({ id: String(entry.id), event: entry.event, data: json(entry.data) });
          sent = entry.id;
          if (options.isFinal?.(entry)) final = true;
        }
        if (!final && missed.length === 0) {
          const snapshot = await options.snapshot();
          final = snapshot.final;
          if (final) await stream.writeSSE({ id: String(sent), event: snapshot.event, data: json(snapshot.data) });
        }
      }
      const heartbeat = setInterval(() => {
        void stream.write(': heartbeat\n\n').catch(() => undefined);
      }, options.heartbeatMs ?? 15_000);
      const refreshed: Array<{ event: string; data: unknown }> = [];
      let refreshedFinal = false;
      let refreshing = false;
      const poll = setInterval(() => {
        if (!options.refresh || refreshing) return;
        refreshing = true;
        void options.refresh().then(
          (result) => {
            refreshing = false;
            refreshed.push(...result.events);
            refreshedFinal ||= result.final;
            if (result.events.length || result.final) wake?.();
          },
          (error: unknown) => {
            refreshing = false;
            // Nothing is left to tell: the stream ends (a client that reconnects is answered 404), so
            // it no longer holds one of the user's stream places.
            if (DarkroomError.isInstance(error) && error.code === 'not_found') {
              refreshedFinal = true;
              wake?.();
            }
          },
        );
      }, options.pollMs ?? 2_000);
      try {
        while (!final && !closed) {
          const entry = queue.shift();
          if (!entry) {
            const change = refreshed.shift();
            if (change) {
              // Seen by re-reading, not by an event here: sent under the last id, so resuming still works.
              await stream.writeSSE({ id: String(sent), event: change.event, data: json(change.data) });
              continue;
            }
            if (refreshedFinal) break;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          if (entry.id <= sent) continue;
          options.observe?.(entry);
          await stream.writeSSE({ id: String(entry.id), event: entry.event, data: json(entry.data) });
          sent = entry.id;
          if (options.isFinal?.(entry)) final = true;
        }
      } finally {
        clearInterval(heartbeat);
        clearInterval(poll);
      }
    } finally {
      off();
      const left = (openStreams.get(user) ?? 1) - 1;
      if (left <= 0) openStreams.delete(user);
      else openStreams.set(user, left);
    }
  });
}

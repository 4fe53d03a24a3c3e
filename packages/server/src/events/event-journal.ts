import type { Engine, EngineEvent } from '@darkroom/core';
import { toWireEvent } from './to-wire-event.js';

/** One event as streamed: a per-stream sequence number (the SSE id), its name and JSON data. */
export interface JournalEntry {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

interface Stream {
  entries: JournalEntry[];
  last: number;
  touched: number;
  listeners: Set<(entry: JournalEntry) => void>;
}

export interface EventJournalOptions {
  /** Entries kept per stream for `Last-Event-ID` resumption. */
  perStream?: number;
  /** Streams kept; the least recently used idle stream goes first. */
  maxStreams?: number;
  /** The server's base path: image URLs in the events are written under it (see toWireEvent). */
  basePath?: string;
}

const jobStream = (jobId: string) => `job:${jobId}`;
const sessionStream = (sessionId: string) => `session:${sessionId}`;

/**
 * Remembers recent engine events per job and per chat session so event streams can resume from a
 * `Last-Event-ID`. Streams are read only after the route has checked the caller owns the job or
 * session; ids are numbered per stream within this process (a restarted server answers a snapshot).
 * Events are written with {@link toWireEvent}. A `job.succeeded` that crossed processes without its
 * result (a transport's payload limit) gets it back from the job store before it is journaled; the
 * job's later events wait behind it, so each job's events keep their order.
 */
export class EventJournal {
  private readonly streams = new Map<string, Stream>();
  private readonly sessionOfJob = new Map<string, string>();
  private readonly perStream: number;
  private readonly maxStreams: number;
  private readonly basePath: string;
  private readonly off: () => void;
  /** Jobs whose events wait for a result to be read back, with the end of their queue. */
  private readonly restoring = new Map<string, Promise<void>>();

  constructor(private readonly engine: Engine, options: EventJournalOptions = {}) {
    this.perStream = options.perStream ?? 256;
    this.maxStreams = options.maxStreams ?? 10_000;
    this.basePath = options.basePath ?? '';
    this.off = engine.on((event) => this.record(event));
  }

  close(): void {
    this.off();
  }

  static job = jobStream;
  static session = sessionStream;

  private record(event: EngineEvent): void {
    const pending = this.restoring.get(event.jobId);
    if (!pending && !(event.type === 'job.succeeded' && event.resultOmitted)) return this.journal(event);
    const next = (pending ?? Promise.resolve())
      .then(() => this.withResult(event))
      .then((whole) => this.journal(whole))
      .catch(() => undefined)
      .finally(() => {
        if (this.restoring.get(event.jobId) === next) this.restoring.delete(event.jobId);
      });
    this.restoring.set(event.jobId, next);
  }

  /** The event with its job's result read back from the job store when it came without it. */
  private async withResult(event: EngineEvent): Promise<EngineEvent> {
    if (event.type !== 'job.succeeded' || !event.resultOmitted) return event;
    try {
      const job = await this.engine.jobs.get(event.userId, event.jobId);
      return { type: 'job.succeeded', jobId: event.jobId, userId: event.userId, kind: event.kind, result: job.result };
    } catch {
      return event; // Sent with `result_omitted: true`: the client fetches the job.
    }
  }

  private journal(event: EngineEvent): void {
    const entry = toWireEvent(event, this.basePath);
    if (event.type === 'message.updated') {
      if (!this.sessionOfJob.has(event.jobId)) {
        this.sessionOfJob.set(event.jobId, event.sessionId);
        if (this.sessionOfJob.size > this.maxStreams) this.sessionOfJob.delete(this.sessionOfJob.keys().next().value!);
        // The turn's job may have started before its message was told (a runner in this process is
        // quick): its events so far join the session stream first, in their order.
        for (const earlier of this.streams.get(jobStream(event.jobId))?.entries ?? []) this.append(sessionStream(event.sessionId), { event: earlier.event, data: earlier.data });
      }
      this.append(sessionStream(event.sessionId), entry);
      return;
    }
    this.append(jobStream(event.jobId), entry);
    const session = this.sessionOfJob.get(event.jobId);
    if (session) this.append(sessionStream(session), entry);
  }

  private stream(key: string): Stream {
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { entries: [], last: 0, touched: Date.now(), listeners: new Set() };
      this.streams.set(key, stream);
      if (this.streams.size > this.maxStreams) this.evict();
    }
    return stream;
  }

  private evict(): void {
    for (const [key, stream] of this.streams) {
      if (stream.listeners.size === 0) {
        this.streams.delete(key);
        return;
      }
    }
  }

  private append(key: string, entry: { event: string; data: Record<string, unknown> }): void {
    const stream = this.stream(key);
    stream.last += 1;
    stream.touched = Date.now();
    const full = { id: stream.last, ...entry };
    stream.entries.push(full);
    if (stream.entries.length > this.perStream) stream.entries.shift();
    for (const listener of stream.listeners) listener(full);
  }

  /** The last id handed out on a stream (0 when nothing happened yet in this process). */
  lastId(key: string): number {
    return this.streams.get(key)?.last ?? 0;
  }

  /** Entries after `afterId`, or undefined when some were already forgotten (the caller sends a snapshot). */
  since(key: string, afterId: number): JournalEntry[] | undefined {
    const stream = this.streams.get(key);
    if (!stream) return afterId === 0 ? [] : undefined;
    if (afterId > stream.last) return undefined;
    const first = stream.entries[0]?.id ?? stream.last + 1;
    if (afterId + 1 < first) return undefined;
    return stream.entries.filter((entry) => entry.id > afterId);
  }

  subscribe(key: string, listener: (entry: JournalEntry) => void): () => void {
    const stream = this.stream(key);
    stream.listeners.add(listener);
    return () => stream.listeners.delete(listener);
  }
}

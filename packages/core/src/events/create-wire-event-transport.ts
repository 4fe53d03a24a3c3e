import { randomBytes } from 'node:crypto';
import { DarkroomError } from '@darkroom/plugin-api';
import { backoffDelay } from '../jobs/backoff-delay.js';
import { eventTransportUnavailableError } from './event-transport-unavailable-error.js';
import { EventListenerSet } from './event-listener-set.js';
import { emptyEventTransportStats, type EventTransport, type EventTransportStats } from './event-transport.js';
import { decodeEventWireMessage, encodeEventWireMessage } from './event-wire-message.js';

/** What a wire tells the transport built on it. Calls after `close` are ignored. */
export interface EventWireHooks {
  /** Connected and subscribed: sending may start. */
  connected(): void;
  /** The connection was lost or could not be made; the wire keeps reconnecting (see `reconnectDelayMs`). */
  lost(error: unknown): void;
  /** A payload arrived on the channel (the transport drops its own and malformed ones). */
  received(payload: string): void;
}

/** The connection-level part of a cross-process transport (LISTEN/NOTIFY, pub/sub). */
export interface EventWire {
  /**
   * Sends payloads on the channel in this order. Called with one batch at a time (the next after
   * the previous settled); rejects when they may not have been sent.
   */
  send(payloads: string[]): Promise<void>;
  /** Stops reconnecting and releases the connections. */
  close(): Promise<void>;
}

export interface WireEventTransportOptions {
  /** The transport's name (`postgres`, `redis`). */
  name: string;
  /** Where it connects, without credentials, for error messages. */
  target: string;
  /** What an operator should check when it cannot connect (a sentence fragment). */
  check: string;
  /** The largest payload the wire carries, in UTF-8 bytes. */
  maxPayloadBytes: number;
  /** How long `ready()` waits for a connection before rejecting; default 5000 ms. */
  readyTimeoutMs?: number;
  /** Delay before reconnect attempt n: exponential with jitter, default 100 ms doubling to 5000 ms. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** Events waiting to be sent at most; beyond, new ones are lost (`lost.overflow`). Default 10 000. */
  maxQueued?: number;
  /** Payloads per `send` at most; default 100. */
  maxBatch?: number;
  /** Hears failures (lost connection, failed sends, events too big); default: a process warning. */
  onError?: (error: DarkroomError) => void;
  /** Opens the wire; it starts connecting at once and reports through the hooks. */
  open(hooks: EventWireHooks, context: { reconnectDelayMs(attempt: number): number }): EventWire;
}

const defaultOnError = (error: DarkroomError) => process.emitWarning(error.message, { type: 'DarkroomWarning', code: 'DARKROOM_EVENTS' });

/** How long `close` waits for queued events to be sent. */
const closeDrainMs = 2_000;

/** Origins remembered for duplicate and gap detection; the oldest is forgotten first. */
const maxOrigins = 10_000;

/**
 * Builds an {@link EventTransport} on a wire: the shared semantics (local subscribers first and
 * synchronously, origin ids, per-origin sequence numbers with repeats dropped and gaps counted,
 * payload limit, loss while disconnected, ordered batched sending, readiness, counters), so a
 * transport for another broker only connects, sends and receives.
 *
 * @example
 * return createWireEventTransport({
 *   name: 'redis', target: '127.0.0.1:6379 channel darkroom:events', check: 'DARKROOM_REDIS_URL', maxPayloadBytes: 1_048_576,
 *   open: (hooks, { reconnectDelayMs }) => ({ send: async (payloads) => { … }, close: async () => { … } }),
 * });
 */
export function createWireEventTransport(options: WireEventTransportOptions): EventTransport {
  const origin = randomBytes(8).toString('hex');
  const listeners = new EventListenerSet();
  const onError = options.onError ?? defaultOnError;
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  const maxQueued = options.maxQueued ?? 10_000;
  const maxBatch = options.maxBatch ?? 100;
  const backoff = { baseMs: options.reconnect?.minDelayMs ?? 100, maxMs: options.reconnect?.maxDelayMs ?? 5_000 };
  const stats: EventTransportStats = emptyEventTransportStats(false);
  const lastSequence = new Map<string, number>();
  const queue: string[] = [];
  const readyWaiters = new Set<{ resolve: () => void; reject: (error: unknown) => void }>();
  const drainWaiters: Array<() => void> = [];
  let sequence = 0;
  let everConnected = false;
  let lastError: unknown;
  let reportedOutage = false;
  let overflowing = false;
  let flushing = false;
  let flushScheduled = false;
  let closed = false;
  let closing: Promise<void> | undefined;

  const report = (reason: string, cause?: unknown) => {
    try {
      onError(new DarkroomError({
        code: 'unavailable',
        message: `The ${options.name} event transport (${options.target}) ${reason}`,
        retryable: true,
        details: { transport: options.name, target: options.target },
        ...(cause === undefined ? {} : { cause }),
      }));
    } catch {
      // A failing reporter must not break the transport.
    }
  };
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error ?? 'not connected yet'));
  const unavailable = (reason: string) => eventTransportUnavailableError({ transport: options.name, target: options.target, reason, check: options.check, cause: lastError });

  const settleDrain = () => {
    if (flushing || queue.length > 0) return;
    for (const resolve of drainWaiters.splice(0)) resolve();
  };
  const flush = () => {
    flushScheduled = false;
    if (flushing || queue.length === 0) return settleDrain();
    flushing = true;
    const batch = queue.splice(0, maxBatch);
    if (queue.length < maxQueued) overflowing = false;
    Promise.resolve()
      .then(() => wire.send(batch))
      .then(
        () => {
          stats.sent += batch.length;
        },
        (error: unknown) => {
          stats.lost.failed += batch.length;
          if (stats.connected) report(`could not send ${batch.length} event(s): ${describe(error)}`, error);
        },
      )
      .finally(() => {
        flushing = false;
        if (queue.length > 0) flush();
        else settleDrain();
      });
  };
  const scheduleFlush = () => {
    if (flushScheduled || flushing) return;
    flushScheduled = true;
    queueMicrotask(flush);
  };

  const hooks: EventWireHooks = {
    connected() {
      if (closed || stats.connected) return;
      stats.connected = true;
      if (everConnected) stats.reconnects += 1;
      everConnected = true;
      reportedOutage = false;
      for (const waiter of readyWaiters) waiter.resolve();
      readyWaiters.clear();
    },
    lost(error) {
      if (closed) return;
      lastError = error;
      const wasConnected = stats.connected;
      stats.connected = false;
      // Nothing waits for the connection to come back: queued events are lost now, in order.
      stats.lost.disconnected += queue.splice(0).length;
      settleDrain();
      if (wasConnected || !reportedOutage) {
        reportedOutage = true;
        report(`${wasConnected ? 'lost its connection' : 'cannot connect'}: ${describe(error)}; reconnecting (events published meanwhile reach this process only)`, error);
      }
    },
    received(payload) {
      if (closed) return;
      const message = decodeEventWireMessage(payload);
      if (!message || message.origin === origin) return;
      const last = lastSequence.get(message.origin);
      if (last !== undefined) {
        if (message.sequence <= last) return;
        stats.missed += message.sequence - last - 1;
        lastSequence.delete(message.origin);
      } else if (lastSequence.size >= maxOrigins) {
        lastSequence.delete(lastSequence.keys().next().value!);
      }
      lastSequence.set(message.origin, message.sequence);
      stats.received += 1;
      listeners.deliver(message.event);
    },
  };
  const wire = options.open(hooks, { reconnectDelayMs: (attempt) => backoffDelay(attempt, backoff) });

  return {
    name: options.name,
    crossProcess: true,
    publish(event) {
      stats.published += 1;
      sequence += 1;
      // Queued before local delivery, so an event a subscriber publishes in reaction goes out after this one.
      if (closed || !stats.connected) {
        stats.lost.disconnected += 1;
      } else {
        try {
          const encoded = encodeEventWireMessage({ origin, sequence, event }, options.maxPayloadBytes);
          if (!encoded) {
            stats.lost.oversize += 1;
            report(`did not send a ${event.type} event bigger than its payload limit (${options.maxPayloadBytes} bytes)`);
          } else if (queue.length >= maxQueued) {
            stats.lost.overflow += 1;
            if (!overflowing) report(`has ${maxQueued} events waiting to be sent; newer ones are dropped until it catches up`);
            overflowing = true;
          } else {
            if (encoded.trimmed) stats.trimmed += 1;
            queue.push(encoded.payload);
            scheduleFlush();
          }
        } catch (error) {
          stats.lost.failed += 1;
          report(`could not encode a ${event.type} event: ${describe(error)}`, error);
        }
      }
      listeners.deliver(event);
    },
    subscribe: (listener) => listeners.add(listener),
    ready() {
      if (closed) return Promise.reject(unavailable('it was closed'));
      if (stats.connected) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          readyWaiters.delete(waiter);
          reject(unavailable(`not connected after ${readyTimeoutMs} ms (${describe(lastError)})`));
        }, readyTimeoutMs);
        readyWaiters.add(waiter);
      });
    },
    stats: () => ({ ...stats, lost: { ...stats.lost } }),
    close() {
      closing ??= (async () => {
        closed = true;
        for (const waiter of readyWaiters) waiter.reject(unavailable('it was closed'));
        readyWaiters.clear();
        // What was published before close is sent first, while the connection lasts (2 s at most).
        if (flushing || queue.length > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([new Promise<void>((resolve) => drainWaiters.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, closeDrainMs)))]);
          clearTimeout(timer);
          stats.lost.disconnected += queue.splice(0).length;
        }
        stats.connected = false;
        await wire.close();
      })();
      return closing;
    },
  };
}

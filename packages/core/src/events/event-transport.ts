import type { EngineEvent, EngineEventListener } from './event-bus.js';

/**
 * How engine events travel between the parts of a deployment. The in-process transport (the
 * default) reaches only this process; a cross-process transport (PostgreSQL LISTEN/NOTIFY, Redis
 * pub/sub) makes every process on the same channel hear the events of work running in any other,
 * live. Every implementation must pass `describeEventTransportContract`.
 *
 * Delivery:
 * - Every subscriber in every process on the transport gets each event once.
 * - The publishing process's own subscribers get its events synchronously, inside `publish`, and
 *   never a second time from the wire (each wire message carries its sender's origin id).
 * - Events from one process arrive in the order it published them; the events of one job come
 *   from the process running it (except `job.queued` and the cancellation of a job still queued,
 *   which come from the process that submitted or cancelled it), so a job's events stay in order.
 * - A throwing subscriber never breaks the publisher or other subscribers.
 *
 * Losses (a cross-process transport is a live feed, not a log):
 * - An event published while the transport is not connected (or after `close`) reaches this
 *   process's subscribers but not the wire: it is lost for other processes and counted in
 *   `stats().lost.disconnected`. Nothing is buffered for later: whoever needs the state reads it
 *   from the stores (event streams fall back to snapshots and re-reads). Receivers notice the gap
 *   in the sender's sequence numbers (`stats().missed`).
 * - A message bigger than the transport's payload limit (`maxPayloadBytes`; PostgreSQL NOTIFY
 *   allows less than 8000 bytes) is sent without its bulky part: a `job.succeeded` travels without
 *   `result` and with `resultOmitted: true` (the result is in the job store, where `jobs.get`
 *   reads it), counted in `stats().trimmed`; any other event still too big is not sent
 *   (`stats().lost.oversize`). Subscribers in the publishing process always get the whole event.
 * - Failures are counted and reported (`onError` of the factory; a process warning by default),
 *   never thrown to the publisher.
 *
 * @example
 * const events = createPostgresEventTransport({ connectionString: process.env.DARKROOM_DATABASE_URL, channel: 'darkroom_events' });
 * await events.ready();
 * const engine = await createEngine({ store, events });
 * engine.on((event) => console.log(event.type)); // also hears the jobs other processes run
 * // … at shutdown, after engine.close():
 * await events.close();
 */
export interface EventTransport {
  /** Short name for logs and probes: `in-process`, `postgres`, `redis`. */
  readonly name: string;
  /** Whether events published in other processes reach this one (false for the in-process transport). */
  readonly crossProcess: boolean;
  /**
   * Hands an event to this process's subscribers (synchronously) and to the wire. Never throws and
   * never waits for the network: sending happens in the background, in order.
   */
  publish(event: EngineEvent): void;
  /** Adds a subscriber; returns the function that removes it (calling it twice is harmless). */
  subscribe(listener: EngineEventListener): () => void;
  /**
   * Resolves when the transport is connected and subscribed; doubles as a readiness probe (cheap,
   * may be called often). Rejects with an `unavailable` DarkroomError that says what to check
   * (`details: { transport, target }`) when it is not connected within its ready timeout, or closed.
   */
  ready(): Promise<void>;
  /** Counters since creation, for metrics and for streams deciding whether to re-read state. */
  stats(): EventTransportStats;
  /**
   * Stops receiving and releases the connections, after sending what was already published.
   * Subscribers of this process still hear what it publishes afterwards; nothing more is sent.
   * Idempotent. A transport given to `createEngine` is closed by its owner, after the engine.
   */
  close(): Promise<void>;
}

/** What a transport did since it was created. All counts are events, not bytes. */
export interface EventTransportStats {
  /** Connected and subscribed now (always true for the in-process transport until closed). */
  connected: boolean;
  /** Calls to `publish`. */
  published: number;
  /** Events handed to the wire (cross-process transports only). */
  sent: number;
  /** Events sent without their bulky part because of the payload limit (see `EventTransport`). */
  trimmed: number;
  /** Events from other processes handed to this process's subscribers. */
  received: number;
  /** This process's events that never went on the wire, by reason. */
  lost: { disconnected: number; oversize: number; failed: number; overflow: number };
  /** Events of other processes that this one knows it did not get (gaps in their sequence numbers). */
  missed: number;
  /** Times the connection was re-established after being lost. */
  reconnects: number;
}

/** Stats of a transport that has done nothing yet (`connected` as given). */
export const emptyEventTransportStats = (connected: boolean): EventTransportStats => ({
  connected,
  published: 0,
  sent: 0,
  trimmed: 0,
  received: 0,
  lost: { disconnected: 0, oversize: 0, failed: 0, overflow: 0 },
  missed: 0,
  reconnects: 0,
});

import type { SerializedError } from '@darkroom/plugin-api';
import { createInProcessEventTransport } from './create-in-process-event-transport.js';
import type { EventTransport } from './event-transport.js';

/** Everything the engine announces. Each event names its job's user, so streams can be filtered per user. */
export type EngineEvent =
  | { type: 'job.queued'; jobId: string; userId: string; kind: string }
  | { type: 'job.started'; jobId: string; userId: string; attempt: number }
  /** `progress`: the job's percent, 0..100 (not a fraction), non-decreasing within the job. */
  | { type: 'job.progress'; jobId: string; userId: string; progress: number }
  | { type: 'step.started'; jobId: string; userId: string; step: string; attempt: number }
  | { type: 'step.succeeded'; jobId: string; userId: string; step: string }
  | { type: 'step.failed'; jobId: string; userId: string; step: string; error: SerializedError }
  | { type: 'job.retrying'; jobId: string; userId: string; error: SerializedError; runAfter: number }
  /**
   * `resultOmitted: true` (and no `result`) when the event came from another process through a
   * transport whose payload limit the result did not fit: read the result from the job store.
   */
  | { type: 'job.succeeded'; jobId: string; userId: string; kind: string; result: unknown; resultOmitted?: true }
  | { type: 'job.failed'; jobId: string; userId: string; error: SerializedError }
  | { type: 'job.cancelled'; jobId: string; userId: string }
  | { type: 'message.updated'; userId: string; sessionId: string; messageId: string; jobId: string; status: string };

export type EngineEventListener = (event: EngineEvent) => void;

/**
 * The engine's publish/subscribe bus: a thin facade over an {@link EventTransport} (in-process by
 * default). Listeners in this process hear its events synchronously; with a cross-process
 * transport they also hear other processes' events. A throwing listener never breaks the publisher.
 *
 * @example
 * const bus = new EventBus(createPostgresEventTransport({ connectionString, channel: 'darkroom_events' }));
 * const off = bus.on((event) => console.log(event.type));
 */
export class EventBus {
  constructor(readonly transport: EventTransport = createInProcessEventTransport()) {}

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: EngineEventListener): () => void {
    return this.transport.subscribe(listener);
  }

  emit(event: EngineEvent): void {
    this.transport.publish(event);
  }
}

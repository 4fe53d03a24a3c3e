import type { SerializedError } from '../errors/darkroom-error.js';

/** Everything the engine announces. Each event names its job's user, so streams can be filtered per user. */
export type EngineEvent =
  | { type: 'job.queued'; jobId: string; userId: string; kind: string }
  | { type: 'job.started'; jobId: string; userId: string; attempt: number }
  | { type: 'job.progress'; jobId: string; userId: string; progress: number }
  | { type: 'step.started'; jobId: string; userId: string; step: string; attempt: number }
  | { type: 'step.succeeded'; jobId: string; userId: string; step: string }
  | { type: 'step.failed'; jobId: string; userId: string; step: string; error: SerializedError }
  | { type: 'job.retrying'; jobId: string; userId: string; error: SerializedError; runAfter: number }
  | { type: 'job.succeeded'; jobId: string; userId: string; result: unknown }
  | { type: 'job.failed'; jobId: string; userId: string; error: SerializedError }
  | { type: 'job.cancelled'; jobId: string; userId: string }
  | { type: 'message.updated'; userId: string; sessionId: string; messageId: string; jobId: string; status: string };

export type EngineEventListener = (event: EngineEvent) => void;

/** A small synchronous publish/subscribe bus. A throwing listener never breaks the publisher. */
export class EventBus {
  private readonly listeners = new Set<EngineEventListener>();

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: EngineEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the engine goes on.
      }
    }
  }
}

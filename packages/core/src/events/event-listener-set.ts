import type { EngineEvent, EngineEventListener } from './event-bus.js';

/**
 * The subscribers of one transport in this process. `deliver` calls each synchronously; a
 * listener that throws is skipped over (its failure is its own), and a listener added while an
 * event is delivered hears that event too (Set iteration order), as the original bus did.
 */
export class EventListenerSet {
  private readonly listeners = new Set<EngineEventListener>();

  add(listener: EngineEventListener): () => void {
    // Wrapped so one function subscribed twice is two subscriptions, each removed by its own call.
    const entry: EngineEventListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  deliver(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the publisher goes on.
      }
    }
  }
}

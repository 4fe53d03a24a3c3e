import { eventTransportUnavailableError } from './event-transport-unavailable-error.js';
import { EventListenerSet } from './event-listener-set.js';
import { emptyEventTransportStats, type EventTransport, type EventTransportStats } from './event-transport.js';

/**
 * The default transport: events reach the subscribers of this process only, synchronously, in
 * order. `crossProcess` is false, so event streams re-read the stores to learn of other processes'
 * work. After `close`, `ready()` rejects and published events still reach local subscribers.
 *
 * @example
 * const events = createInProcessEventTransport();
 * events.subscribe((event) => console.log(event.type));
 * events.publish({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' }); // logs "job.cancelled" before returning
 */
export function createInProcessEventTransport(): EventTransport {
  const listeners = new EventListenerSet();
  let published = 0;
  let closed = false;
  return {
    name: 'in-process',
    crossProcess: false,
    publish(event) {
      published += 1;
      listeners.deliver(event);
    },
    subscribe: (listener) => listeners.add(listener),
    async ready() {
      if (closed) throw eventTransportUnavailableError({ transport: 'in-process', target: 'this process', reason: 'it was closed', check: 'that nothing closes the transport before the engine' });
    },
    stats: (): EventTransportStats => ({ ...emptyEventTransportStats(!closed), published }),
    async close() {
      closed = true;
    },
  };
}

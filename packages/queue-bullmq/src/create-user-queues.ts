import { EventEmitter } from 'node:events';
import type { IQueueBackend, MinimalQueue, RedisQueueBackend } from 'bullmq';

/**
 * One user's BullMQ queue as BullMQ's `Job` class needs it, on the connection of `base` (BullMQ's
 * `forQueue`, as its FlowProducer does for the queues of a flow): no connection, listener or
 * version check of its own, so there can be one per user.
 */
export interface UserQueue extends MinimalQueue {
  readonly backend: IQueueBackend;
}

/** BullMQ's view of the user queue `name` on `base`'s connection. */
export function createUserQueue(base: RedisQueueBackend, name: string): UserQueue {
  const backend = base.forQueue(name);
  const events = new EventEmitter();
  return {
    name,
    qualifiedName: backend.qualifiedName,
    keys: backend.keys,
    toKey: (type) => backend.toKey(type),
    opts: { connection: {} },
    closing: undefined,
    backend,
    emit: (event, ...args) => events.emit(event, ...args),
    on(event, listener) {
      events.on(event, listener);
      return this;
    },
    removeListener(event, listener) {
      events.removeListener(event, listener);
      return this;
    },
    waitUntilReady: () => base.waitUntilReady(),
    trace: async (_kind, _operation, _destination, callback) => callback(),
  };
}

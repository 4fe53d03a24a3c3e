import { EventEmitter } from 'node:events';
import { createRedisBackend, type IQueueBackend, type MinimalQueue, type RedisQueueBackend, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * One user's BullMQ queue as BullMQ's `Job` class needs it, on a shared connection (BullMQ's
 * `forQueue`, as its FlowProducer does for the queues of a flow): no connection, listener or
 * version check of its own, so there can be one per user.
 */
export interface UserQueue extends MinimalQueue {
  readonly backend: IQueueBackend;
}

/** The BullMQ queues of a Darkroom queue's users, all on one connection. */
export interface UserQueues {
  /** The user's queue (kept in memory, up to `cacheSize` users). */
  of(userId: string): UserQueue;
  /** The user's queue as BullMQ's stalled check sees it, giving up after `maxStalls` stalls. */
  forStallCheck(userId: string, maxStalls: number): IQueueBackend;
  /** Caps how many of the user's jobs BullMQ lets run at once: its queue's global concurrency (`Infinity`: none). */
  capRunning(userId: string, maxRunning: number): Promise<void>;
  close(): Promise<void>;
}

export interface UserQueuesOptions {
  client: Redis;
  prefix: string;
  /** The Darkroom queue's name (BullMQ's backends are named after it; they hold no jobs). */
  queueName: string;
  /** The BullMQ queue name of a user's jobs. */
  userQueueName(userId: string): string;
  /** The lock a fetch takes (BullMQ's `lockDuration`), ms. */
  fetchLockMs: number;
  onError(error: unknown): void;
  cacheSize?: number;
}

function toUserQueue(base: RedisQueueBackend, name: string): UserQueue {
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

/**
 * Users' BullMQ queues on `client`. BullMQ reads the stall limit and the fetch lock from its
 * backend's options, so there is one backend per stall limit (all on `client`, none with a
 * connection of its own) and a view of it per user.
 */
export function createUserQueues(options: UserQueuesOptions): UserQueues {
  const { client, prefix, queueName, fetchLockMs, onError } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const bases = new Map<number, RedisQueueBackend>();
  const baseFor = (maxStalls: number) => {
    let base = bases.get(maxStalls);
    if (!base) {
      const settings: WorkerOptions = { connection: client, prefix, lockDuration: fetchLockMs, maxStalledCount: maxStalls, stalledInterval: 1 };
      base = createRedisBackend(queueName, settings);
      base.on('error', onError);
      bases.set(maxStalls, base);
    }
    return base;
  };
  const queues = new Map<string, UserQueue>();
  const caps = new Map<string, number>();
  const of = (userId: string) => {
    let queue = queues.get(userId);
    if (!queue) {
      if (queues.size >= cacheSize) queues.delete(queues.keys().next().value!);
      queue = toUserQueue(baseFor(0), options.userQueueName(userId));
      queues.set(userId, queue);
    }
    return queue;
  };
  return {
    of,
    forStallCheck: (userId, maxStalls) => baseFor(maxStalls).forQueue(options.userQueueName(userId)),
    async capRunning(userId, maxRunning) {
      if (caps.get(userId) === maxRunning) return;
      const { backend } = of(userId);
      if (maxRunning === Infinity) await backend.removeQueueMetaFields(['concurrency']);
      else await backend.setQueueMeta({ concurrency: maxRunning });
      if (caps.size >= cacheSize) caps.clear();
      caps.set(userId, maxRunning);
    },
    async close() {
      await Promise.all([...bases.values()].map((base) => base.close().catch(() => undefined)));
    },
  };
}

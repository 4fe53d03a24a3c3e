import { closeRedis } from './open-redis.js';
import type { JobQueue } from '@darkroom/core';
import type { Redis } from 'ioredis';

/** What one process tells the others through the queue's channel. */
export type QueueSignal = { type: 'due' } | { type: 'cancel'; jobId: string };

type Watcher = Parameters<NonNullable<JobQueue['watch']>>[0];

/** Publishes and hears {@link QueueSignal}s (the queue's `watch`). */
export interface QueueSignals {
  publish(signal: QueueSignal): Promise<void>;
  watch: NonNullable<JobQueue['watch']>;
  /** Stops hearing and closes the subscribing connection, if one was opened. */
  close(): Promise<void>;
}

/**
 * Signals over Redis pub/sub on `channel`: published on `client`; heard on a copy of it in
 * subscriber mode, opened by the first `watch` (ioredis subscribes again after each reconnect).
 * Pub/sub keeps nothing: a process that is disconnected misses signals, and its runner falls back
 * to polling and lease renewals.
 */
export function createQueueSignals(client: Redis, channel: string, onError: (error: unknown) => void): QueueSignals {
  let subscriber: Redis | undefined;
  const watchers = new Set<Watcher>();
  const hear = (_channel: string, message: string) => {
    let signal: QueueSignal;
    try {
      signal = JSON.parse(message) as QueueSignal;
    } catch {
      return;
    }
    for (const watcher of watchers) {
      try {
        if (signal.type === 'due') watcher.due?.();
        else if (signal.type === 'cancel') watcher.cancelRequested?.(signal.jobId);
      } catch {
        // A watcher's failure is its own.
      }
    }
  };
  return {
    async publish(signal) {
      await client.publish(channel, JSON.stringify(signal));
    },
    watch(handlers) {
      if (!subscriber) {
        subscriber = client.duplicate();
        subscriber.on('error', onError);
        subscriber.on('message', hear);
        subscriber.subscribe(channel).catch(onError);
      }
      watchers.add(handlers);
      return () => {
        watchers.delete(handlers);
      };
    },
    async close() {
      watchers.clear();
      if (subscriber) await closeRedis(subscriber);
    },
  };
}

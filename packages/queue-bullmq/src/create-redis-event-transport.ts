import { closeRedis } from './open-redis.js';
import { createWireEventTransport, errors, type DarkroomError, type EventTransport, type EventWire } from '@darkroom/core';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Largest message sent by default, in UTF-8 bytes. Redis takes far bigger ones, but every
 * subscriber's output buffer holds them (`client-output-buffer-limit pubsub 32mb 8mb 60` by
 * default): a big `job.succeeded` goes without its result (the job store has it).
 */
export const redisEventMaxBytes = 1024 * 1024;

export interface RedisEventTransportOptions {
  /** `redis://[:password@]host:6379[/db]`. */
  url?: string;
  /**
   * Or a connection to copy (`duplicate()`: the caller's own connection is neither used nor
   * closed) or ioredis options. Exactly one of `url` and `connection`.
   */
  connection?: Redis | RedisOptions;
  /** The pub/sub channel; default `darkroom:events`. */
  channel?: string;
  /** Largest message, UTF-8 bytes; default {@link redisEventMaxBytes}. */
  maxPayloadBytes?: number;
  /** Reconnect delays: exponential with jitter from `minDelayMs` (100) to `maxDelayMs` (5000). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** How long `ready()` waits for the connections; default 5000 ms. */
  readyTimeoutMs?: number;
  /** Hears lost connections, failed sends and events too big (default: a process warning). */
  onError?: (error: DarkroomError) => void;
}

/** A connection rather than options (by shape: another copy of ioredis fails `instanceof`). */
const isConnection = (value: Redis | RedisOptions | undefined): value is Redis => typeof (value as Redis | undefined)?.duplicate === 'function';

/** host:port of the connection, never its password. */
function describeTarget(options: RedisEventTransportOptions): string {
  if (options.url) {
    try {
      const url = new URL(options.url);
      return `${url.hostname || 'localhost'}:${url.port || 6379}`;
    } catch {
      return 'the configured Redis';
    }
  }
  const connection = isConnection(options.connection) ? options.connection.options : options.connection;
  return connection?.path ?? `${connection?.host ?? 'localhost'}:${connection?.port ?? 6379}`;
}

/**
 * Engine events over Redis pub/sub, for deployments with BullMQ workers: every process on the
 * same Redis and channel hears every other's events. Two connections of its own: one publishes
 * (one process's events stay in order; no offline queue, so events published while disconnected
 * are lost and counted, not sent late), one subscribes (subscribed again after every reconnect).
 * ioredis reconnects both with backoff. Pub/sub keeps nothing: a process that is disconnected
 * misses what is published meanwhile and counts the gap (`stats().missed`).
 *
 * Throws `configuration` when neither or both of `url` and `connection` are given.
 *
 * @example
 * const events = createRedisEventTransport({ url: process.env.DARKROOM_REDIS_URL, channel: 'darkroom:events' });
 * await events.ready(); // rejects with `unavailable` saying what to check
 * const engine = await createEngine({ store, events });
 */
export function createRedisEventTransport(options: RedisEventTransportOptions): EventTransport {
  if ((options.url === undefined) === (options.connection === undefined)) {
    throw errors.configuration('The Redis event transport needs either url or connection (one of them)');
  }
  const channel = options.channel ?? 'darkroom:events';
  if (channel.length === 0) throw errors.configuration('The Redis event channel needs a name');
  return createWireEventTransport({
    name: 'redis',
    target: `${describeTarget(options)} channel ${channel}`,
    check: 'that Redis runs there and DARKROOM_REDIS_URL points at it',
    maxPayloadBytes: options.maxPayloadBytes ?? redisEventMaxBytes,
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    open(hooks, { reconnectDelayMs }): EventWire {
      const ours: Partial<RedisOptions> = {
        // Sent now or never: a late event would arrive out of its moment (and out of order with snapshots).
        enableOfflineQueue: false,
        // Subscribed again by hand on every `ready`, so "subscribed" is known, not assumed.
        autoResubscribe: false,
        retryStrategy: (attempt) => reconnectDelayMs(attempt),
        maxRetriesPerRequest: 1,
        connectionName: 'darkroom-events',
      };
      const open = () => {
        if (options.url) return new Redis(options.url, ours);
        if (isConnection(options.connection)) return options.connection.duplicate(ours);
        return new Redis({ ...options.connection, ...ours });
      };
      const publisher = open();
      const subscriber = open();
      let subscribed = false;
      let up = false;
      let closed = false;
      let lastError: unknown;

      const update = () => {
        if (closed) return;
        const now = publisher.status === 'ready' && subscriber.status === 'ready' && subscribed;
        if (now && !up) hooks.connected();
        if (!now && up) hooks.lost(lastError ?? new Error('the connection closed'));
        up = now;
      };
      for (const connection of [publisher, subscriber]) {
        connection.on('error', (error: unknown) => {
          lastError = error;
          // Not connected yet and failing: tell the transport why (ready() says it).
          if (!up) hooks.lost(error);
        });
        connection.on('close', update);
        connection.on('end', update);
      }
      publisher.on('ready', update);
      subscriber.on('close', () => (subscribed = false));
      subscriber.on('ready', () => {
        subscriber.subscribe(channel).then(
          () => {
            subscribed = true;
            update();
          },
          (error: unknown) => {
            lastError = error;
            // The connection is in trouble; it reconnects and `ready` subscribes again.
            subscriber.disconnect(true);
          },
        );
      });
      subscriber.on('message', (from: string, payload: string) => {
        if (from === channel) hooks.received(payload);
      });

      return {
        async send(payloads) {
          if (publisher.status !== 'ready') throw new Error(`the publishing connection is ${publisher.status}`);
          const pipeline = publisher.pipeline();
          for (const payload of payloads) pipeline.publish(channel, payload);
          const results = (await pipeline.exec()) ?? [];
          const failed = results.find(([error]) => error);
          if (failed) throw failed[0];
        },
        async close() {
          closed = true;
          await Promise.all([closeRedis(publisher), closeRedis(subscriber)]);
        },
      };
    },
  });
}

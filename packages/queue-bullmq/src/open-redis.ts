import { errors } from '@darkroom/core';
import { Redis, type RedisOptions } from 'ioredis';
import { redisUnavailableError } from './redis-unavailable-error.js';

/**
 * A connection for BullMQ and the queue's scripts, connected at its first command. Commands wait
 * while Redis is down or restarting (no limit of retries per request, ioredis reconnects with
 * backoff) rather than fail in the middle of a move. Throws `configuration` for an ioredis
 * `keyPrefix` (BullMQ has its own `prefix`).
 */
export function openRedis(connection: string | RedisOptions): Redis {
  if (typeof connection !== 'string' && connection.keyPrefix) {
    throw errors.configuration('ioredis keyPrefix is not supported by BullMQ: set the queue option `prefix` instead');
  }
  const options: RedisOptions = { maxRetriesPerRequest: null, lazyConnect: true };
  return typeof connection === 'string' ? new Redis(connection, options) : new Redis({ ...connection, ...options });
}

/** Resolves when Redis answers a PING within `timeoutMs`; otherwise rejects with `redisUnavailableError`. */
export async function pingRedis(client: Redis, target: string, timeoutMs: number, lastError?: () => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw redisUnavailableError(target, lastError?.() ?? error);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a connection: QUIT when it is up, otherwise drops it (failing whatever waits on it). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

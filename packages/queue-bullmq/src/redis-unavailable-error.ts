import { DarkroomError } from '@darkroom/core';
import type { RedisOptions } from 'ioredis';

/**
 * Where a connection points, as `redis://host:port/db` (or the socket path), never with its user
 * name or password: safe for logs and error messages.
 *
 * @example
 * describeRedis('redis://:secret@cache:6380/2'); // 'redis://cache:6380/2'
 */
export function describeRedis(connection: string | RedisOptions): string {
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection);
      const database = url.pathname && url.pathname !== '/' ? url.pathname : '';
      return `${url.protocol}//${url.hostname || 'localhost'}:${url.port || 6379}${database}`;
    } catch {
      return 'the configured Redis URL (it does not parse as a URL)';
    }
  }
  if (connection.path) return connection.path;
  return `redis://${connection.host ?? 'localhost'}:${connection.port ?? 6379}${connection.db ? `/${connection.db}` : ''}`;
}

/**
 * Redis did not answer: `unavailable` (503, retryable), naming where it was looked for and what to
 * check; the driver's message is in `details.cause`.
 */
export function redisUnavailableError(target: string, cause: unknown): DarkroomError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DarkroomError({
    code: 'unavailable',
    message: `The job queue's Redis at ${target} does not answer (${reason}); check that redis-server is running and reachable there, and that DARKROOM_REDIS_URL has the right host, port, database and password`,
    retryable: true,
    details: { store: 'job queue', redis: target, cause: reason },
    cause,
  });
}

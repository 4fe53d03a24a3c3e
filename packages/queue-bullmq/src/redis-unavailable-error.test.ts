import { describe, expect, it } from 'vitest';
import { describeRedis, redisUnavailableError } from './redis-unavailable-error.js';

describe('describeRedis', () => {
  it('names host, port and database, never user or password', () => {
    expect(describeRedis('redis://:secret@cache:6380/2')).toBe('redis://cache:6380/2');
    expect(describeRedis('rediss://admin:secret@cache.example')).toBe('rediss://cache.example:6379');
    expect(describeRedis({ host: 'cache', port: 6390, password: 'secret', db: 1 })).toBe('redis://cache:6390/1');
    expect(describeRedis({ path: '/run/redis.sock' })).toBe('/run/redis.sock');
    expect(describeRedis('redis://user:secret@[bad')).not.toContain('secret');
  });

  it('makes an unavailable error that says what to check', () => {
    const error = redisUnavailableError('redis://cache:6379', new Error('connect ECONNREFUSED'));
    expect(error).toMatchObject({ code: 'unavailable', status: 503, retryable: true, details: { redis: 'redis://cache:6379', cause: 'connect ECONNREFUSED' } });
    expect(error.message).toMatch(/redis:\/\/cache:6379 does not answer \(connect ECONNREFUSED\); check that redis-server is running/);
  });
});

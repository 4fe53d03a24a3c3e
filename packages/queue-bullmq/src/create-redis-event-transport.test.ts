import type { DarkroomError } from '@darkroom/core';
import { describeEngineEventsAcrossProcesses, describeEventTransportContract, postgresUrl, testDatabases } from '@darkroom/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEventTransport } from './create-redis-event-transport.js';
import { freePort, hasRedisServer, redisAnswers, startOwnRedisServer, testRedisUrl, type OwnRedisServer } from './testing-redis.js';

/** Whether a service the tests need is here; in CI its absence fails the run instead of skipping. */
function required(ok: boolean, what: string): boolean {
  if (ok) return true;
  if (process.env.CI) throw new Error(`${what}: CI must run the Redis event transport tests`);
  process.stderr.write(`WARNING: ${what}; those Redis tests are skipped on this machine\n`);
  return false;
}

const canStartRedis = required(hasRedisServer(), 'redis-server is not installed');
const hasSharedRedis = required(await redisAnswers(testRedisUrl), `Redis is not reachable at ${testRedisUrl}`);
const hasPostgres = (await testDatabases()).some((database) => database.name === 'postgres');

if (canStartRedis) {
  // A redis-server of this file's own (never the machine's shared one), killed and started again.
  let redis!: OwnRedisServer;
  beforeAll(async () => {
    redis = await startOwnRedisServer({ appendfsync: 'off' });
  });
  afterAll(() => redis.dispose());

  describeEventTransportContract('redis', async (channel) => {
    const errors: DarkroomError[] = [];
    return {
      transport: createRedisEventTransport({ url: redis.url, channel, maxPayloadBytes: 16 * 1024, reconnect: { minDelayMs: 20, maxDelayMs: 200 }, onError: (error) => errors.push(error) }),
      maxPayloadBytes: 16 * 1024,
      // Killing the server drops every connection to it; it comes back empty on the same port.
      interrupt: async () => {
        await redis.kill();
        await redis.start();
      },
    };
  });

  describe('createRedisEventTransport', () => {
    it('copies a given connection and leaves it alone', async () => {
      const mine = new Redis(redis.url);
      const transport = createRedisEventTransport({ connection: mine, channel: 'darkroom:copy' });
      const other = createRedisEventTransport({ url: redis.url, channel: 'darkroom:copy' });
      try {
        await Promise.all([transport.ready(), other.ready()]);
        const seen: string[] = [];
        other.subscribe((event) => seen.push(event.type));
        transport.publish({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' });
        await expect.poll(() => seen).toEqual(['job.cancelled']);
        await transport.close();
        expect(mine.status).toBe('ready');
        expect(await mine.ping()).toBe('PONG');
      } finally {
        await Promise.all([transport.close(), other.close()]);
        mine.disconnect();
      }
    });
  });
}

describe('createRedisEventTransport without a server', () => {
  it('keeps trying, and ready() rejects saying what to check', async () => {
    const errors: DarkroomError[] = [];
    const transport = createRedisEventTransport({ url: `redis://:secret@127.0.0.1:${await freePort()}`, readyTimeoutMs: 300, reconnect: { minDelayMs: 20, maxDelayMs: 50 }, onError: (error) => errors.push(error) });
    try {
      const refusal = await transport.ready().then(() => undefined, (error: unknown) => error as DarkroomError);
      expect(refusal).toMatchObject({ code: 'unavailable', status: 503, details: { transport: 'redis' } });
      expect(refusal!.message).toMatch(/DARKROOM_REDIS_URL/);
      expect(refusal!.message).not.toMatch(/secret/);
      expect(errors).toHaveLength(1);
      expect(() => transport.publish({ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' })).not.toThrow();
      expect(transport.stats()).toMatchObject({ connected: false, lost: { disconnected: 1 } });
    } finally {
      await transport.close();
    }
  });

  it('refuses impossible settings', () => {
    expect(() => createRedisEventTransport({})).toThrow(/url or connection/);
    expect(() => createRedisEventTransport({ url: testRedisUrl, channel: '' })).toThrow(/needs a name/);
  });
});

if (hasSharedRedis && hasPostgres) {
  describeEngineEventsAcrossProcesses('redis', postgresUrl, async (channel) => createRedisEventTransport({ url: testRedisUrl, channel }));
}

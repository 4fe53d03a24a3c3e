import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { DarkroomError } from '@darkroom/core';
import { describeEngineEventsAcrossProcesses, describeEventTransportContract, postgresUrl, testDatabases } from '@darkroom/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEventTransport } from './create-redis-event-transport.js';

const sharedRedisUrl = process.env.DARKROOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a service the tests need is here; in CI its absence fails the run instead of skipping. */
function required(ok: boolean, what: string): boolean {
  if (ok) return true;
  if (process.env.CI) throw new Error(`${what}: CI must run the Redis event transport tests`);
  process.stderr.write(`WARNING: ${what}; those Redis tests are skipped on this machine\n`);
  return false;
}

async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A redis-server of this test file's own on a free port (never the machine's shared one), to kill and restart. */
class PrivateRedis {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const started = Date.now();
    while (!(await redisReachable(this.url))) {
      if (Date.now() - started > 10_000) throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

const hasRedisServer = required(spawnSync('redis-server', ['--version']).status === 0, 'redis-server is not installed');
const hasSharedRedis = required(await redisReachable(sharedRedisUrl), `Redis is not reachable at ${sharedRedisUrl}`);
const hasPostgres = (await testDatabases()).some((database) => database.name === 'postgres');

if (hasRedisServer) {
  const redis = new PrivateRedis(await freePort());
  beforeAll(() => redis.start());
  afterAll(() => redis.stop());

  describeEventTransportContract('redis', async (channel) => {
    const errors: DarkroomError[] = [];
    return {
      transport: createRedisEventTransport({ url: redis.url, channel, maxPayloadBytes: 16 * 1024, reconnect: { minDelayMs: 20, maxDelayMs: 200 }, onError: (error) => errors.push(error) }),
      maxPayloadBytes: 16 * 1024,
      // Killing the server drops every connection to it; it comes back empty on the same port.
      interrupt: async () => {
        await redis.stop();
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
    expect(() => createRedisEventTransport({ url: sharedRedisUrl, channel: '' })).toThrow(/needs a name/);
  });
});

if (hasSharedRedis && hasPostgres) {
  describeEngineEventsAcrossProcesses('redis', postgresUrl, async (channel) => createRedisEventTransport({ url: sharedRedisUrl, channel }));
}

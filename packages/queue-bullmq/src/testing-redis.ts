import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The shared test Redis (never stopped by tests); override with DARKROOM_TEST_REDIS_URL. */
export const testRedisUrl = process.env.DARKROOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers PING at `url` within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
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

/**
 * The Redis the BullMQ tests run on, or `undefined` (with a warning) when it does not answer on
 * this machine. In CI a missing Redis is an error, never a skip.
 */
export async function testRedis(): Promise<string | undefined> {
  if (await redisAnswers(testRedisUrl)) return testRedisUrl;
  const message = `Redis is not reachable at ${testRedisUrl}`;
  if (process.env.CI) throw new Error(`${message}: CI must run the BullMQ tests (start redis-server, or set DARKROOM_TEST_REDIS_URL)`);
  process.stderr.write(`WARNING: ${message}; BullMQ tests are skipped on this machine\n`);
  return undefined;
}

/** A key prefix no other test uses. */
export const uniquePrefix = () => `darkroom-test-${randomBytes(6).toString('hex')}`;

/** Deletes every key under `prefix:` (what one test wrote). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await client.unlink(...found);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A TCP port nobody listens on at the moment (on 127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A redis-server of a test's own, which the test may kill and restart. */
export interface OwnRedisServer {
  url: string;
  /** SIGKILL, as a crash: only what the AOF holds survives. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (it replays its AOF). */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  dispose(): Promise<void>;
}

/** Whether a `redis-server` binary is on the PATH. */
export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/**
 * Starts `redis-server` on a free port with its data in a new temporary directory, set up as BullMQ
 * needs (no RDB snapshots, `noeviction`), with AOF fsynced on every write by default
 * (`appendfsync: 'always'`: a SIGKILL loses nothing Redis acknowledged); `'everysec'` as production
 * runs it; `'off'` for no AOF at all (a restart forgets everything).
 */
export async function startOwnRedisServer(options: { appendfsync?: 'always' | 'everysec' | 'off' } = {}): Promise<OwnRedisServer> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'darkroom-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const appendfsync = options.appendfsync ?? 'always';
  const persistence = appendfsync === 'off' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', appendfsync];
  let server: ChildProcess | undefined;
  const start = async () => {
    const running = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...persistence, '--save', '', '--dir', directory, '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    server = running;
    const started = Date.now();
    while (!(await redisAnswers(url, 500))) {
      if (running.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${running.exitCode}`);
      if (Date.now() - started > 10_000) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async (signal: NodeJS.Signals) => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url,
    kill: () => stop('SIGKILL'),
    start,
    async dispose() {
      await stop('SIGTERM');
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

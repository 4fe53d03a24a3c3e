// The services a distributed test or bench runs on: a fresh PostgreSQL database per run (on the
// machine's server, dropped afterwards) and a redis-server of its own (the machine's shared Redis and
// PostgreSQL are never stopped).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresUrl } from '@darkroom/core/testing';
import { Redis } from 'ioredis';
import pg from 'pg';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether PostgreSQL (DARKROOM_TEST_POSTGRES_URL) answers and `redis-server` is installed; when not,
 * a warning names what is missing and the suite skips, except in CI, where it is an error.
 */
export async function distributedServicesAvailable(): Promise<boolean> {
  const missing = [
    ...((await postgresAnswers()) ? [] : [`PostgreSQL at ${postgresUrl.replace(/\/\/[^@/]*@/, '//')}`]),
    ...(spawnSync('redis-server', ['--version']).status === 0 ? [] : ['redis-server (apt-get install redis-server)']),
  ];
  if (missing.length === 0) return true;
  if (process.env.CI) throw new Error(`The distributed tests need ${missing.join(' and ')}; CI must run them`);
  process.stderr.write(`WARNING: ${missing.join(' and ')} missing: the distributed tests are skipped on this machine\n`);
  return false;
}

/** A database of this run's own on the test PostgreSQL server. */
export interface TestPostgresDatabase {
  url: string;
  /** Runs one query on it (for assertions). */
  query<Row extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Closes the query connection and drops the database (ending any session still on it). */
  drop(): Promise<void>;
}

/** `CREATE DATABASE darkroom_e2e_<random>` on the test server; `drop()` removes it. */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const name = `darkroom_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // A connection per query, closed before it answers: none is left for DROP … WITH (FORCE) to cut.
    async query(text, values) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
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

/** A redis-server of a test's own, which it may kill and start again. */
export interface OwnRedis {
  url: string;
  /** SIGKILL, as a crash: what the AOF holds survives. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory: it replays its AOF. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  dispose(): Promise<void>;
}

/**
 * `redis-server` on a free port with its data in a new temporary directory, set up as BullMQ needs
 * (AOF on, `appendfsync everysec`, no RDB snapshots, `noeviction`).
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'darkroom-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--dir', directory, '--maxmemory-policy', 'noeviction'];
    server = spawn('redis-server', args, { stdio: 'ignore' });
    const started = Date.now();
    while (!(await redisAnswers(url))) {
      if (server.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${server.exitCode}`);
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

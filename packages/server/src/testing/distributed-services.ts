// The services a distributed test or bench runs on: a fresh PostgreSQL database per run (on the
// machine's server, dropped afterwards) and a redis-server of its own (the machine's shared Redis and
// PostgreSQL are never stopped).
import { randomBytes } from 'node:crypto';
import { postgresReachable, postgresUrl } from '@darkroom/core/testing';
import { hasRedisServer, startOwnRedisServer, type OwnRedisServer } from '@darkroom/queue-bullmq/testing';
import pg from 'pg';

/**
 * Whether PostgreSQL (DARKROOM_TEST_POSTGRES_URL) answers and `redis-server` is installed; when not,
 * a warning names what is missing and the suite skips, except in CI, where it is an error.
 */
export async function distributedServicesAvailable(): Promise<boolean> {
  const missing = [
    ...((await postgresReachable()) ? [] : [`PostgreSQL at ${postgresUrl.replace(/\/\/[^@/]*@/, '//')}`]),
    ...(hasRedisServer() ? [] : ['redis-server (apt-get install redis-server)']),
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

/** A redis-server of a test's own, which it may kill and start again. */
export type OwnRedis = OwnRedisServer;

/** `redis-server` on a free port, set up as BullMQ needs in production (AOF with `appendfsync everysec`, `noeviction`). */
export const startOwnRedis = (): Promise<OwnRedis> => startOwnRedisServer({ appendfsync: 'everysec' });

// The durable path: durable transactions per direct feature call and per chat turn (counted from the
// statements the database ran), calls and turns per second in process, against raw durable commits/s
// of the same database at the same `synchronous` setting (the baseline), on SQLite (normal and full),
// PostgreSQL and the distributed backend (BullMQ with PostgreSQL: its SQL write transactions, and the
// Redis commands beside them); and what the prepared-statement cache is worth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { createDatabase, createEngine, type DatabaseConfig, type JobBackend } from '@darkroom/core';
import { createBullmqJobBackend } from '@darkroom/queue-bullmq';
import { Redis } from 'ioredis';
import { hasRedisServer, startOwnRedisServer } from '../packages/queue-bullmq/src/testing-redis.ts';
import { countDurableTransactions, createInstantProvider, postgresReachable, postgresUrl, testPlugin } from '@darkroom/core/testing';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const clients = 8;

async function forSeconds(task: () => Promise<unknown>): Promise<{ done: number; perSecond: number }> {
  await task();
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      await task();
      done += 1;
    }
  }));
  return { done, perSecond: done / ((performance.now() - started) / 1000) };
}

async function rawSqliteCommits(synchronous: 'normal' | 'full'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-bench-raw-'));
  const sqlite = new Sqlite(join(dir, 'raw.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  sqlite.exec('create table t (id integer primary key, body text)');
  const insert = sqlite.prepare('insert into t (body) values (?)');
  let commits = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    insert.run('a row the size of a small job record, give or take');
    commits += 1;
  }
  const perSecond = commits / ((performance.now() - started) / 1000);
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  return perSecond;
}

async function rawPostgresCommits(): Promise<number> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: clients });
  const table = `bench_raw_${process.pid}`;
  await pool.query(`create table ${table} (id serial primary key, body text)`);
  let commits = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      await pool.query(`insert into ${table} (body) values ($1)`, ['a row the size of a small job record, give or take']);
      commits += 1;
    }
  }));
  const perSecond = commits / ((performance.now() - started) / 1000);
  await pool.query(`drop table ${table}`);
  await pool.end();
  return perSecond;
}

/**
 * Counts by differences of a running total whose reading adds one to it: PostgreSQL's transaction ids
 * (given only to transactions that write, so the ids used between two readings are the write
 * transactions in between) and a Redis server's processed commands. Both count the whole server's, so
 * the bench is best run with nothing else writing to them.
 */
async function runningTotal(read: () => Promise<number>, close: () => Promise<void>) {
  let last = await read();
  return {
    async take() {
      const now = await read();
      const taken = now - last - 1;
      last = now;
      return taken;
    },
    close,
  };
}

async function postgresWriteCounter() {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  return runningTotal(async () => Number((await client.query('select pg_current_xact_id()::text as id')).rows[0].id), () => client.end());
}

async function redisCommandCounter(url: string) {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  return runningTotal(async () => Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))?.[1] ?? 0), () => client.quit().then(() => undefined));
}

/** Drops a PostgreSQL schema the bench made. */
async function dropSchema(schema: string) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

interface Setting {
  name: string;
  config: (dir: string) => DatabaseConfig;
  raw: () => Promise<number>;
  cleanup?: (config: DatabaseConfig) => Promise<void>;
  /** The distributed backend: jobs on BullMQ (a redis-server of the bench's own, AOF fsync every second), checkpoints in the database. */
  bullmq?: boolean;
}

const settings: Setting[] = [
  { name: 'SQLite, synchronous normal', config: (dir) => ({ kind: 'sqlite', filename: join(dir, 'd.db'), synchronous: 'normal' }), raw: () => rawSqliteCommits('normal') },
  { name: 'SQLite, synchronous full', config: (dir) => ({ kind: 'sqlite', filename: join(dir, 'd.db'), synchronous: 'full' }), raw: () => rawSqliteCommits('full') },
];
if (await postgresReachable()) {
  settings.push({
    name: 'PostgreSQL',
    config: () => ({ kind: 'postgres', connectionString: postgresUrl, schema: `darkroom_bench_${process.pid}` }),
    raw: rawPostgresCommits,
    cleanup: () => dropSchema(`darkroom_bench_${process.pid}`),
  });
  if (hasRedisServer()) {
    settings.push({
      name: 'BullMQ + PostgreSQL',
      config: () => ({ kind: 'postgres', connectionString: postgresUrl, schema: `darkroom_bench_bullmq_${process.pid}` }),
      raw: rawPostgresCommits,
      bullmq: true,
      cleanup: () => dropSchema(`darkroom_bench_bullmq_${process.pid}`),
    });
  } else console.log('\n(redis-server not found: the distributed backend\'s rows are left out)');
} else console.log('\n(PostgreSQL not reachable: its rows are left out)');

const rows = [];
for (const setting of settings) {
  const raw = await setting.raw();
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-bench-durable-'));
  const counter = countDurableTransactions();
  const config = setting.config(dir);
  const database = await createDatabase({ ...config, onQuery: counter.onQuery });
  const redis = setting.bullmq ? await startOwnRedisServer({ appendfsync: 'everysec' }) : undefined;
  const jobBackend: JobBackend | undefined = redis ? createBullmqJobBackend({ connection: redis.url, database }) : undefined;
  const engine = await createEngine({ store: database, ...(jobBackend ? { jobBackend } : {}), plugins: [testPlugin], providers: [createInstantProvider()], runner: { concurrency: clients, pollMs: 1000 } });
  const commands = redis ? await redisCommandCounter(redis.url) : undefined;
  const session = await engine.chat.createSession('bench');
  // SQLite has one connection: its statements tell the transactions. PostgreSQL's connections interleave: count its transaction ids.
  const writes = config.kind === 'postgres' ? await postgresWriteCounter() : { take: async () => counter.take(), close: async () => undefined };
  const direct = () => engine.run('paint', { prompt: 'a red boat', size: 16 }, { userId: 'bench' });
  const turn = async () => {
    const sent = await engine.chat.send({ userId: 'bench', sessionId: session.id, content: 'paint a red boat, then upscale it' });
    const job = await engine.jobs.wait('bench', sent.jobId);
    if (job.state !== 'succeeded') throw new Error(`chat turn ${job.state}`);
  };
  const take = async () => ({ writes: await writes.take(), commands: (await commands?.take()) ?? 0 });
  await direct();
  await take();
  const calls = await forSeconds(direct);
  const callCounts = await take();
  await turn();
  await take();
  const turns = await forSeconds(turn);
  const turnCounts = await take();
  await writes.close();
  await commands?.close();
  await engine.close();
  await jobBackend?.queue.close();
  await database.close();
  await redis?.dispose();
  const each = (counts: { writes: number; commands: number }, done: number) =>
    `${(counts.writes / (done + 1)).toFixed(1)}${redis ? ` SQL + ${(counts.commands / (done + 1)).toFixed(0)} Redis commands (inside scripts too)` : ''}`;
  await setting.cleanup?.(config);
  rmSync(dir, { recursive: true, force: true });
  rows.push(
    { database: setting.name, case: 'raw durable commits (baseline)', 'per second': raw.toFixed(0), 'transactions each': '1', goal: '', ratio: '1.00 (baseline)' },
    { database: setting.name, case: 'direct feature call (engine.run, instant provider)', 'per second': calls.perSecond.toFixed(0), 'transactions each': each(callCounts, calls.done), goal: '≤ 2 transactions', ratio: (calls.perSecond / raw).toFixed(3) },
    { database: setting.name, case: 'chat turn (plan + paint + upscale + reply)', 'per second': turns.perSecond.toFixed(0), 'transactions each': each(turnCounts, turns.done), goal: '≤ 4 transactions; ≥ 0.25 × raw', ratio: (turns.perSecond / raw).toFixed(3) },
  );
}
console.log(`\nThe durable path: ${clients} concurrent callers in process for ${seconds} s each; transactions counted from the statements run`);
console.table(rows);

// What reusing prepared statements is worth: the same direct calls with the cache off.
{
  const results = [];
  for (const statementCacheSize of [0, 500]) {
    const database = await createDatabase({ kind: 'memory', statementCacheSize });
    const engine = await createEngine({ store: database, plugins: [testPlugin], providers: [createInstantProvider()], runner: { concurrency: clients, pollMs: 1000 } });
    const calls = await forSeconds(() => engine.run('paint', { prompt: 'a red boat', size: 16 }, { userId: 'bench' }));
    await engine.close();
    await database.close();
    results.push({ case: statementCacheSize === 0 ? 'every statement prepared again' : 'prepared statements reused (500 kept)', 'calls per second': calls.perSecond.toFixed(0) });
  }
  results[0] = { ...results[0]!, ratio: '1.00 (baseline)' } as (typeof results)[number];
  results[1] = { ...results[1]!, ratio: (Number(results[1]!['calls per second']) / Number(results[0]!['calls per second'])).toFixed(2) } as (typeof results)[number];
  console.log('\nPrepared statements: direct feature calls per second on in-memory SQLite');
  console.table(results);
}

import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresUrl, testDatabases } from '../testing/test-databases.js';
import { createDatabase } from './create-database.js';
import { isDatabaseUnreachable } from './database-unavailable-error.js';

const postgres = (await testDatabases()).find((backend) => backend.name === 'postgres');

/** A TCP proxy to the test PostgreSQL that a test can close (cutting every connection) and open again. */
async function startProxy() {
  const target = new URL(postgresUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  // A port below the ephemeral range: while the proxy is closed, a connection to a port in that range
  // can be given the same port as its own and connect to itself (TCP self-connect), hanging.
  let port = 0;
  const open = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const first = port === 0;
      const wanted = first ? 20_000 + Math.floor(Math.random() * 12_000) : port;
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', (error: NodeJS.ErrnoException) => (first && error.code === 'EADDRINUSE' ? open().then(resolve, reject) : reject(error)));
      server.listen(wanted, '127.0.0.1', () => {
        port = wanted;
        resolve();
      });
    });
  await open();
  const url = new URL(postgresUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server!.close(resolve));
    },
    open,
  };
}

describe('isDatabaseUnreachable', () => {
  const failure = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
  it.each([
    ['connection refused', failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', failure('read ECONNRESET', 'ECONNRESET')],
    ['unknown host', failure('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND')],
    ['server shutting down', failure('terminating connection due to administrator command', '57P01')],
    ['server starting up', failure('the database system is starting up', '57P03')],
    ['too many connections', failure('sorry, too many clients already', '53300')],
    ['database dropped', failure('database "darkroom" does not exist', '3D000')],
    ['connection failure class 08', failure('connection failure', '08006')],
    ['connection ended', failure('Connection terminated unexpectedly')],
    ['connect timeout', failure('timeout exceeded when trying to connect')],
    ['broken client', failure('Client has encountered a connection error and is not queryable')],
    ['both addresses refused', new AggregateError([failure('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')], '')],
  ])('%s is unreachable', (_, error) => expect(isDatabaseUnreachable(error)).toBe(true));
  it.each([
    ['a unique violation', failure('duplicate key value violates unique constraint', '23505')],
    ['a missing table', failure('relation "x" does not exist', '42P01')],
    ['a serialization failure', failure('could not serialize access', '40001')],
    ['a programming error', new TypeError('x is not a function')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_, error) => expect(isDatabaseUnreachable(error)).toBe(false));
});

describe.skipIf(!postgres)('createDatabase on PostgreSQL', () => {
  it('outlives its idle connections being cut (a restart, a proxy closing them) and reconnects for the next query', async () => {
    const database = await postgres!.open();
    try {
      const backend = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      // Two idle connections in the pool, then both cut from the server's side.
      const pids = await Promise.all([backend(), backend()]);
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
      } finally {
        await admin.end();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Still running (an unheard pool error would have ended it), and the next queries get new connections.
      const after = await Promise.all([backend(), backend()]);
      expect(after.some((pid) => pids.includes(pid))).toBe(false);
    } finally {
      await database.dispose();
    }
  });

  it('answers unavailable (503, what to check, no password) while the server cannot be reached, and works again when it can', async () => {
    const proxy = await startProxy();
    const schema = `darkroom_test_${randomBytes(6).toString('hex')}`;
    const url = new URL(proxy.url);
    url.password = 'hunter2';
    const database = await createDatabase({ kind: 'postgres', connectionString: url.toString(), schema, maxConnections: 2 });
    try {
      const { db } = database;
      await db.insertInto('sessions').values({ id: 'ses_1', user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
      // A failing query that is not about the connection keeps its own error.
      await expect(db.insertInto('sessions').values({ id: 'ses_1', user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute()).rejects.toMatchObject({ code: '23505' });

      await proxy.close();
      for (const query of [() => db.selectFrom('sessions').selectAll().execute(), () => db.selectFrom('sessions').selectAll().execute(), () => db.transaction().execute((trx) => trx.selectFrom('sessions').selectAll().execute())]) {
        const refusal = await query().catch((error: unknown) => error);
        expect(refusal).toMatchObject({ code: 'unavailable', status: 503, retryable: true, details: { store: 'database', database: `127.0.0.1:${url.port}/${new URL(postgresUrl).pathname.slice(1)}` } });
        expect((refusal as Error).message).toMatch(/check that PostgreSQL is running and reachable there and that DARKROOM_DATABASE_URL/);
        expect((refusal as Error).message).not.toContain('hunter2');
      }

      await proxy.open();
      expect(await db.selectFrom('sessions').select('id').execute()).toEqual([{ id: 'ses_1' }]);
    } finally {
      await proxy.open().catch(() => undefined);
      await database.close();
      await proxy.close();
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});

import Sqlite from 'better-sqlite3';
import type pg from 'pg';
import type { LogEvent, PostgresPool, PostgresPoolClient } from 'kysely';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from './kysely-runtime.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSchema } from './database-schema.js';
import { migrationProvider } from './migrations.js';
import { cacheSqliteStatements, defaultStatementCacheSize } from './cache-sqlite-statements.js';
import { databaseUnavailableError, describeDatabase, isDatabaseUnreachable } from './database-unavailable-error.js';
import { unitAwareDialect } from './unit-of-work.js';

export type DatabaseConfig = (
  | {
      kind: 'sqlite';
      filename: string;
      /**
       * When a commit is on disk (SQLite's `synchronous`, in WAL mode). `normal` (the default): a commit
       * survives the process crashing or being killed, but a power loss or OS crash can drop the last
       * commits before the next checkpoint (never corrupting the file). `full`: every commit is flushed
       * to disk before it returns, surviving power loss too, at several times the cost per commit
       * (`npm run bench` prints both). DARKROOM_SQLITE_SYNCHRONOUS for the server.
       */
      synchronous?: SqliteSynchronous;
    }
  /** SQLite in memory: the seeds' stateless use; nothing survives the process. */
  | { kind: 'memory' }
  | { kind: 'postgres'; connectionString: string; schema?: string; maxConnections?: number }
) & {
  /** Called with the SQL of every statement run (transaction control included), after it ran; for counting and tracing. */
  onQuery?: (sql: string) => void;
  /**
   * Distinct SQL texts whose prepared statement is kept and reused (SQLite: per database; PostgreSQL:
   * named statements, per connection). Defaults to 500; 0 prepares every statement again.
   */
  statementCacheSize?: number;
};

export const sqliteSynchronousModes = ['normal', 'full'] as const;
export type SqliteSynchronous = (typeof sqliteSynchronousModes)[number];

export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const int8 = 20;

/**
 * Opens the database and runs migrations. SQLite runs in WAL mode with a busy timeout so that
 * several processes (an engine and its restarted successor) can share the file. Statements join the
 * unit of work they run in (`runInUnitOfWork`, see `UnitOfWork`).
 *
 * @example
 * const database = await createDatabase({ kind: 'sqlite', filename: './data/darkroom.db' });
 */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  let database: Database;
  let migrationTableSchema: string | undefined;
  if (config.kind === 'postgres') {
    // pg loads for PostgreSQL only: an app on SQLite never pays for it at start.
    const { default: pg } = await import('pg');
    const schema = config.schema;
    const pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.maxConnections ?? 10,
      types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === int8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection that PostgreSQL closes (a restart, a failover, a proxy or firewall cutting
    // it) is an 'error' event on the pool, which would end the process unheard. The pool drops that
    // connection and opens another for the next query; a query that fails says so itself.
    pool.on('error', () => undefined);
    if (schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new TypeError(`Invalid PostgreSQL schema name ${schema}`);
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      // Kysely looks for its migration tables in every schema unless told which: another schema's would do.
      migrationTableSchema = schema;
    }
    const db = new Kysely<DatabaseSchema>({ dialect: unitAwareDialect(new PostgresDialect({ pool: reportingUnreachable(pool, describeDatabase(config.connectionString), statementNames(config.statementCacheSize ?? defaultStatementCacheSize)) }), 'begin', { errorsAbort: true }), ...queryLog(config) });
    database = { db, dialect: 'postgres', close: () => db.destroy() };
  } else {
    const filename = config.kind === 'memory' ? ':memory:' : config.filename;
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const sqlite = new Sqlite(filename);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${config.kind === 'sqlite' && config.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('busy_timeout = 10000');
    const db = new Kysely<DatabaseSchema>({ dialect: unitAwareDialect(new SqliteDialect({ database: cacheSqliteStatements(sqlite, config.statementCacheSize) }), 'begin immediate'), ...queryLog(config) });
    database = { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const migrator = new Migrator({ db: database.db, provider: migrationProvider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  for (let attempt = 1; ; attempt += 1) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return database;
    // Kysely finds its migration tables by listing every schema's tables, which fails when another
    // schema (or one of its tables) is dropped during the listing: list again.
    if (attempt < 8 && droppedMeanwhile(error, migrationTableSchema)) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
      continue;
    }
    await database.close();
    throw error;
  }
}

function queryLog(config: DatabaseConfig): { log?: (event: LogEvent) => void } {
  const onQuery = config.onQuery;
  return onQuery ? { log: (event) => onQuery(event.query.sql) } : {};
}

/**
 * The pool as Kysely sees it, its failures to reach the server turned into `unavailable` (503, what
 * to check) for every store, queue and checkpoint on it; other errors (a constraint, a bad query)
 * pass as they are.
 */
function reportingUnreachable(pool: pg.Pool, target: string, nameOf: (text: string) => string | undefined): PostgresPool {
  const translate = (error: unknown) => (isDatabaseUnreachable(error) ? databaseUnavailableError(target, error) : error);
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect().catch((error: unknown) => {
        throw translate(error);
      });
      let view = wrapped.get(client);
      if (!view) {
        // A connection that breaks while lent out (a query in flight) is an 'error' event on it that
        // no one listens to then: the query rejects with the cause, and the pool drops the connection.
        client.on('error', () => undefined);
        view = {
          query: (async (text: string, values: readonly unknown[]) => {
            const name = values.length > 0 ? nameOf(text) : undefined;
            try {
              return await client.query(name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] });
            } catch (error) {
              // A table changed (a migration by another process) after this connection prepared the
              // statement: PostgreSQL refuses the old plan once. Forget it and run the query unprepared.
              if (!name || (error as { code?: string }).code !== '0A000') throw translate(error);
              await client.query(`DEALLOCATE ${name}`).catch(() => undefined);
              delete (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements[name];
              return client.query({ text, values: values as unknown[] }).catch((retried: unknown) => {
                throw translate(retried);
              });
            }
          }) as unknown as PostgresPoolClient['query'],
          release: () => client.release(),
        };
        wrapped.set(client, view);
      }
      return view;
    },
    end: () => pool.end(),
  };
}

/**
 * A name for each of the first `size` distinct parameterised SQL texts: node-postgres prepares a named
 * statement once per connection and reuses it. Texts past `size` run unnamed (prepared each time), so a
 * connection never holds more than `size` statements.
 */
function statementNames(size: number): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    const known = names.get(text);
    if (known || names.size >= size) return known;
    const name = `darkroom_${names.size}`;
    names.set(text, name);
    return name;
  };
}

/**
 * PostgreSQL's `invalid_schema_name` (3F000), `undefined_table` (42P01) or `undefined_column` (42703,
 * from `pg_get_serial_sequence` in Kysely's catalog listing: `column "x" of relation "t" does not
 * exist`) about a schema other than ours (its name, quoted or as a table's prefix): another schema was
 * dropped as we read the catalog.
 */
export function droppedMeanwhile(error: unknown, ours: string | undefined): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if ((code !== '3F000' && code !== '42P01' && code !== '42703') || typeof message !== 'string') return false;
  return ours === undefined || !(message.includes(`"${ours}"`) || message.includes(`"${ours}.`));
}

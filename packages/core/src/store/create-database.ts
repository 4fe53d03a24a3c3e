import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSchema } from './database-schema.js';
import { migrationProvider } from './migrations.js';
import { databaseUnavailableError, describeDatabase, isDatabaseUnreachable } from './database-unavailable-error.js';

export type DatabaseConfig =
  | { kind: 'sqlite'; filename: string }
  /** SQLite in memory: the seeds' stateless use; nothing survives the process. */
  | { kind: 'memory' }
  | { kind: 'postgres'; connectionString: string; schema?: string; maxConnections?: number };

export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const int8 = 20;

/**
 * Opens the database and runs migrations. SQLite runs in WAL mode with a busy timeout so that
 * several processes (an engine and its restarted successor) can share the file.
 *
 * @example
 * const database = await createDatabase({ kind: 'sqlite', filename: './data/darkroom.db' });
 */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  let database: Database;
  let migrationTableSchema: string | undefined;
  if (config.kind === 'postgres') {
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
    const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool: reportingUnreachable(pool, describeDatabase(config.connectionString)) }) });
    database = { db, dialect: 'postgres', close: () => db.destroy() };
  } else {
    const filename = config.kind === 'memory' ? ':memory:' : config.filename;
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const sqlite = new Sqlite(filename);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 10000');
    const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
    database = { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const migrator = new Migrator({ db: database.db, provider: migrationProvider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  for (let attempt = 1; ; attempt += 1) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return database;
    // Kysely finds its migration tables by listing every schema's tables, which fails when another
    // schema (or one of its tables) is dropped during the listing: list again.
    if (attempt < 5 && droppedMeanwhile(error, migrationTableSchema)) continue;
    await database.close();
    throw error;
  }
}

/**
 * The pool as Kysely sees it, its failures to reach the server turned into `unavailable` (503, what
 * to check) for every store, queue and checkpoint on it; other errors (a constraint, a bad query)
 * pass as they are.
 */
function reportingUnreachable(pool: pg.Pool, target: string): PostgresPool {
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
          query: ((text: string, values: readonly unknown[]) => client.query(text, values as unknown[]).catch((error: unknown) => {
            throw translate(error);
          })) as unknown as PostgresPoolClient['query'],
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
 * PostgreSQL's `invalid_schema_name` (3F000) or `undefined_table` (42P01) about a schema other than
 * ours (its name, quoted or as a table's prefix): another schema was dropped as we read the catalog.
 */
export function droppedMeanwhile(error: unknown, ours: string | undefined): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if ((code !== '3F000' && code !== '42P01') || typeof message !== 'string') return false;
  return ours === undefined || !(message.includes(`"${ours}"`) || message.includes(`"${ours}.`));
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database } from '../store/create-database.js';
import type { StoreContractOptions, StoreSubject } from './open-store-subject.js';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  open(): Promise<Database & { dispose(): Promise<void> }>;
}

export const postgresUrl = process.env.DARKROOM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the test PostgreSQL (`postgresUrl`) answers within 3 s. */
export async function postgresReachable(): Promise<boolean> {
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
 * The backends every store and job test loops over, narrowed by DARKROOM_TEST_BACKENDS=sqlite,postgres.
 * PostgreSQL runs in a fresh schema per database. In CI a missing PostgreSQL is an error, never a skip.
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const wanted = (process.env.DARKROOM_TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  const result: TestDatabase[] = [];
  if (wanted.includes('sqlite')) {
    result.push({
      name: 'sqlite',
      async open() {
        const database = await createDatabase({ kind: 'memory' });
        return { ...database, dispose: () => database.close() };
      },
    });
  }
  if (wanted.includes('postgres')) {
    if (!(await postgresReachable())) {
      const message = `PostgreSQL is not reachable at ${postgresUrl}`;
      if (process.env.CI) throw new Error(`${message}: CI must run the PostgreSQL store tests (start the server, or set DARKROOM_TEST_BACKENDS)`);
      process.stderr.write(`WARNING: ${message}; PostgreSQL tests are skipped on this machine\n`);
      return result;
    }
    result.push({
      name: 'postgres',
      async open() {
        const schema = `darkroom_test_${randomBytes(6).toString('hex')}`;
        const database = await createDatabase({ kind: 'postgres', connectionString: postgresUrl, schema, maxConnections: 4 });
        return {
          ...database,
          dispose: async () => {
            await database.close();
            const client = new pg.Client({ connectionString: postgresUrl });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await client.end();
          },
        };
      },
    });
  }
  return result;
}

/**
 * A SQL store on a test database, as a store contract suite takes it: `open` makes the store on a
 * fresh database (disposed of after the suite), `options.openUnreachable` on one already closed.
 *
 * @example
 * for (const backend of await testDatabases()) {
 *   const { open, options } = sqlStoreSubject(backend, createSqlGalleryStore);
 *   describeGalleryStoreContract(backend.name, open, options);
 * }
 */
export function sqlStoreSubject<S>(backend: TestDatabase, create: (database: Database) => S): { open(): Promise<StoreSubject<S>>; options: Required<StoreContractOptions<S>> } {
  return {
    async open() {
      const database = await backend.open();
      return { store: create(database), dispose: () => database.dispose() };
    },
    options: {
      async openUnreachable() {
        const database = await backend.open();
        await database.dispose();
        return create(database);
      },
    },
  };
}

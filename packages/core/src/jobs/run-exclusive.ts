import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/create-database.js';
import type { DatabaseSchema } from '../store/database-schema.js';
import { isInUnitOfWork } from '../store/unit-of-work.js';

/**
 * Runs `work` in one transaction that no other holder of the same `lock` runs beside, in this
 * process or any other on the same database, and commits it (rolls back if `work` throws).
 *
 * PostgreSQL: a transaction-scoped advisory lock named by the schema and `lock`; each statement
 * after it sees what the previous holder committed. SQLite: `BEGIN IMMEDIATE`, which takes the
 * database's one write lock up front (waiting up to the busy timeout), so reads and writes in
 * `work` see no other writer's changes in between; `lock` needs no name there. In a unit of work
 * (`runInUnitOfWork`), `work` runs in the unit's transaction (PostgreSQL: a savepoint of it, the
 * advisory lock held until the unit commits).
 *
 * @example
 * await runExclusive(database, `jobs.user:${userId}`, async (trx) => countThenInsert(trx));
 */
export async function runExclusive<T>(
  database: Pick<Database, 'db' | 'dialect'>,
  lock: string,
  work: (db: Kysely<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (database.dialect === 'postgres') {
    return database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ${`:darkroom.${lock}`}))`.execute(trx);
      return work(trx);
    });
  }
  // In a unit of work the unit's transaction began with BEGIN IMMEDIATE: it holds the write lock already.
  if (isInUnitOfWork()) return work(database.db);
  return database.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

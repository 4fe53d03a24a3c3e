import type { Kysely } from 'kysely';
import { sql } from '../store/kysely-runtime.js';
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
 * (`runInUnitOfWork`), `work` runs in the unit's transaction (PostgreSQL: the advisory lock held until
 * the unit commits; a failure in `work` fails the unit).
 *
 * @example
 * await runExclusive(database, `jobs.user:${userId}`, async (trx) => countThenInsert(trx));
 */
export async function runExclusive<T>(
  database: Pick<Database, 'db' | 'dialect'>,
  lock: string,
  work: (db: Kysely<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  const lockName = sql`select pg_advisory_xact_lock(hashtext(current_schema() || ${`:darkroom.${lock}`}))`;
  if (isInUnitOfWork()) {
    // The unit's transaction: the lock is held until the unit commits (SQLite's BEGIN IMMEDIATE holds the write lock already).
    if (database.dialect === 'postgres') await lockName.execute(database.db);
    return work(database.db);
  }
  if (database.dialect === 'postgres') {
    return database.db.transaction().execute(async (trx) => {
      await lockName.execute(trx);
      return work(trx);
    });
  }
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

import type { Kysely } from 'kysely';
import { DarkroomError } from '../errors/darkroom-error.js';
import type { DatabaseSchema } from './database-schema.js';

/**
 * The readiness probe of a SQL store: reads one row of each of its tables, so an unreachable
 * database and a database without Darkroom's migrations both fail. Resolves when every table answers;
 * rejects with an `unavailable` DarkroomError (503, retryable) that names the store and says what to check.
 *
 * @example
 * await probeSqlTables(db, { store: 'gallery', tables: ['gallery'] });
 */
export async function probeSqlTables(db: Kysely<DatabaseSchema>, options: { store: string; tables: readonly (keyof DatabaseSchema)[] }): Promise<void> {
  try {
    for (const table of options.tables) await db.selectFrom(table).select((eb) => eb.lit(1).as('ok')).limit(1).execute();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DarkroomError({
      code: 'unavailable',
      message: `The ${options.store} store's SQL database did not answer (${reason}); check that the database is reachable (DARKROOM_DATABASE_URL, or the SQLite file and its directory) and that Darkroom's migrations ran (tables ${options.tables.join(', ')})`,
      retryable: true,
      details: { store: options.store },
      cause: error,
    });
  }
}

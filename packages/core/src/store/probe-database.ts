import type { Kysely } from 'kysely';
import { sql } from './kysely-runtime.js';
import { DarkroomError } from '@darkroom/plugin-api';

/**
 * A store's readiness probe on SQL: one `select 1`. Rejects with `unavailable` (503) naming the
 * store and what to check, with the driver's message in `details.cause`.
 *
 * @example
 * ready: () => probeDatabase(db, 'job checkpoints'),
 */
export async function probeDatabase(db: Kysely<any>, store: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw new DarkroomError({
      code: 'unavailable',
      message: `The database of the ${store} does not answer; check that it is running and that DARKROOM_DATABASE_URL (or the data directory) points at it`,
      retryable: true,
      details: { store, cause: error instanceof Error ? error.message : String(error) },
    });
  }
}

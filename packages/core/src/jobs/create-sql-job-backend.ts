import type { Database } from '../store/create-database.js';
import { createSqlCheckpointStore } from './create-sql-checkpoint-store.js';
import { createSqlJobQueue } from './create-sql-job-queue.js';
import type { JobBackend } from './job-backend.js';

/**
 * The embedded job backend: the SQL queue and the SQL checkpoints on one database (SQLite by
 * default, PostgreSQL too), safe with several workers and processes on it.
 *
 * @example
 * const backend = createSqlJobBackend(await createDatabase({ kind: 'sqlite', filename: './data/darkroom.db' }));
 */
export function createSqlJobBackend(database: Pick<Database, 'db' | 'dialect'>): JobBackend {
  return { name: 'sql', queue: createSqlJobQueue(database), checkpoints: createSqlCheckpointStore(database), transactional: true };
}

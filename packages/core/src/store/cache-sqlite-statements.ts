import type Sqlite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct SQL texts keep their prepared statement (least recently used dropped first). */
export const defaultStatementCacheSize = 500;

/**
 * better-sqlite3 as Kysely's SQLite dialect sees it, each SQL text prepared once and its statement
 * reused (Kysely prepares every query again: in a loop of `engine.run`, 44 % of the CPU went to
 * `prepare`). At most `size` statements are kept, least recently used dropped first; `size` 0
 * prepares every time. Kysely runs one query at a time on SQLite and never iterates two results of
 * the same statement at once, so sharing a statement is safe.
 */
export function cacheSqliteStatements(sqlite: Sqlite.Database, size = defaultStatementCacheSize): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql) as unknown as SqliteStatement;
      if (size > 0) {
        cache.set(sql, statement);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}

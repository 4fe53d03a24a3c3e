import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/test-databases.js';
import { cacheSqliteStatements } from './cache-sqlite-statements.js';
import { createDatabase } from './create-database.js';

const backends = await testDatabases();

describe('cacheSqliteStatements', () => {
  function counted(size?: number) {
    const sqlite = new Sqlite(':memory:');
    const prepared: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      prepared.push(text);
      return prepare(text);
    }) as typeof sqlite.prepare;
    return { database: cacheSqliteStatements(sqlite, size), prepared };
  }

  it('prepares each SQL text once and reuses its statement', () => {
    const { database, prepared } = counted();
    for (let index = 0; index < 5; index += 1) expect(database.prepare('select ? as n').all([index])).toEqual([{ n: index }]);
    expect(prepared).toEqual(['select ? as n']);
    database.close();
  });

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const { database, prepared } = counted(2);
    for (const text of ['select 1', 'select 2', 'select 1', 'select 3', 'select 1', 'select 2']) database.prepare(text).all();
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    database.close();
  });

  it('prepares every time with size 0', () => {
    const { database, prepared } = counted(0);
    for (let index = 0; index < 3; index += 1) database.prepare('select 1').all();
    expect(prepared).toHaveLength(3);
    database.close();
  });
});

describe('createDatabase durability and prepared statements', () => {
  it.each([
    ['normal', 1],
    ['full', 2],
  ] as const)('sets synchronous = %s on a SQLite file', async (synchronous, pragma) => {
    const dir = mkdtempSync(join(tmpdir(), 'darkroom-sync-'));
    const database = await createDatabase({ kind: 'sqlite', filename: join(dir, 'd.db'), synchronous });
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      expect(rows[0]!.synchronous).toBe(pragma);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const backend of backends) {
    it(`answers right after a table changed under a prepared statement (${backend.name})`, async () => {
      const database = await backend.open();
      try {
        await sql`create table prepared_probe (id integer primary key, label text)`.execute(database.db);
        await sql`insert into prepared_probe (id, label) values (${1}, ${'one'})`.execute(database.db);
        const read = async () => (await sql<Record<string, unknown>>`select * from prepared_probe where id = ${1}`.execute(database.db)).rows;
        for (let index = 0; index < 3; index += 1) expect(await read()).toEqual([{ id: 1, label: 'one' }]);
        await sql`alter table prepared_probe add column extra text`.execute(database.db);
        for (let index = 0; index < 3; index += 1) expect(await read()).toEqual([{ id: 1, label: 'one', extra: null }]);
      } finally {
        await database.dispose();
      }
    });
  }
});

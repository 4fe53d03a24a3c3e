import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExclusive } from '../jobs/run-exclusive.js';
import { testDatabases, type TestDatabase } from '../testing/test-databases.js';
import { waitUntil } from '../testing/wait-until.js';
import { afterUnitOfWork, createUnitOfWork, isInUnitOfWork, joinUnitOfWork, runInUnitOfWork } from './unit-of-work.js';

for (const backend of await testDatabases()) {
  describe(`units of work on ${backend.name}`, () => {
    let database: Awaited<ReturnType<TestDatabase['open']>>;
    beforeEach(async () => {
      database = await backend.open();
    });
    afterEach(async () => {
      await database.dispose();
    });

    const insert = (id: string) => database.db.insertInto('sessions').values({ id, user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
    const ids = async () => (await database.db.selectFrom('sessions').select('id').orderBy('id').execute()).map((row) => row.id);

    it('commits the writes of every store in it together, and runs what waits for the commit after it', async () => {
      const heard: string[] = [];
      await runInUnitOfWork(async () => {
        expect(isInUnitOfWork()).toBe(true);
        await insert('ses_a');
        afterUnitOfWork((committed) => heard.push(`after: ${committed} ${isInUnitOfWork()}`));
        // A store's own transaction becomes a savepoint of the unit.
        await database.db.transaction().execute(async (trx) => {
          await trx.insertInto('sessions').values({ id: 'ses_b', user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
        });
        await runExclusive(database, 'test', async (db) => {
          await db.insertInto('sessions').values({ id: 'ses_c', user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
        });
        heard.push('work done');
      });
      expect(heard).toEqual(['work done', 'after: true false']);
      expect(await ids()).toEqual(['ses_a', 'ses_b', 'ses_c']);
    });

    it('undoes every write in it when its work throws, savepoints included, and says so to what waits', async () => {
      let committed: boolean | undefined;
      await expect(
        runInUnitOfWork(async () => {
          await insert('ses_a');
          afterUnitOfWork((outcome) => (committed = outcome));
          await database.db.transaction().execute(async (trx) => {
            await trx.insertInto('sessions').values({ id: 'ses_b', user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
          });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(committed).toBe(false);
      expect(await ids()).toEqual([]);
    });

    it('rolls back only a failing inner transaction, keeping the rest of the unit', async () => {
      await runInUnitOfWork(async () => {
        await insert('ses_a');
        await database.db
          .transaction()
          .execute(async (trx) => {
            await trx.insertInto('sessions').values({ id: 'ses_b', user_id: 'u1', title: null, latest_asset_id: null, created_at: 1, updated_at: 1 }).execute();
            throw new Error('inner');
          })
          .catch(() => undefined);
        await insert('ses_c');
      });
      expect(await ids()).toEqual(['ses_a', 'ses_c']);
    });

    it('writes at once until joined, and in one transaction from then on (one BEGIN, one COMMIT)', async () => {
      const unit = createUnitOfWork();
      await unit.run(async () => {
        await insert('ses_early');
        expect(await ids()).toEqual(['ses_early']);
        joinUnitOfWork();
        await insert('ses_a');
        await insert('ses_b');
      });
      expect(unit.joined).toBe(true);
      await unit.rollback();
      expect(await ids()).toEqual(['ses_early']);
      // After it ended, the scope writes at once again.
      await unit.run(() => insert('ses_late'));
      expect(await ids()).toEqual(['ses_early', 'ses_late']);
    });

    it('commits a unit held open longer than its limit, so work waiting on it cannot wait forever', async () => {
      const unit = createUnitOfWork({ maxOpenMs: 50 });
      unit.join();
      await unit.run(() => insert('ses_a'));
      // Outside the unit: on SQLite this waits for the unit's one connection, until the guard commits.
      await insert('ses_b');
      // PostgreSQL lets the outside write through at once; the guard's commit follows within the limit.
      expect(await waitUntil(ids, (list) => list.length === 2, 2_000)).toEqual(['ses_a', 'ses_b']);
      expect(unit.joined).toBe(false);
    });

    it('guards a unit joined from inside (joinUnitOfWork) as well', async () => {
      const unit = createUnitOfWork({ maxOpenMs: 50 });
      await unit.run(async () => {
        joinUnitOfWork();
        await insert('ses_a');
      });
      // Outside the unit: on SQLite this waits for the unit's one connection, until the guard commits.
      await insert('ses_b');
      expect(await waitUntil(ids, (list) => list.length === 2, 2_000)).toEqual(['ses_a', 'ses_b']);
      expect(unit.joined).toBe(false);
    });

    it('never says it committed what a failed statement caught in it undid (PostgreSQL aborts the transaction)', async () => {
      let committed: boolean | undefined;
      const outcome = await runInUnitOfWork(async () => {
        await insert('ses_a');
        afterUnitOfWork((value) => (committed = value));
        // Caught and carried on from, as the claim in a submit's unit does.
        await sql`select 1 / 0`.execute(database.db).catch(() => undefined);
      }).then(
        () => 'resolved',
        (error: unknown) => `rejected: ${String(error)}`,
      );
      const stored = (await ids()).includes('ses_a');
      expect(committed).toBe(stored);
      // Rejected with what aborted it, when it was not stored (PostgreSQL).
      expect(outcome).toMatch(stored ? /^resolved$/ : /^rejected: .*division by zero/);
    });

    it('keeps units of concurrent callers apart', async () => {
      await Promise.all([
        runInUnitOfWork(async () => {
          await insert('ses_a');
          await new Promise((resolve) => setTimeout(resolve, 10));
          await insert('ses_b');
        }),
        runInUnitOfWork(async () => {
          await insert('ses_c');
          throw new Error('second fails');
        }).catch(() => undefined),
        runInUnitOfWork(async () => {
          await sql`select 1`.execute(database.db);
          await insert('ses_d');
        }),
      ]);
      expect(await ids()).toEqual(['ses_a', 'ses_b', 'ses_d']);
    });
  });
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Dialect, Driver, QueryCompiler, TransactionSettings } from 'kysely';
import { CompiledQuery } from './kysely-runtime.js';

/**
 * A unit of work: writes that several stores make (a job's row, its checkpoint, the gallery row and
 * asset row of the image it made, a chat message) committed together, in one transaction per
 * database, instead of one durable commit each.
 *
 * It is ambient (AsyncLocalStorage): the stores need no transaction argument. Code that runs in a
 * unit's scope (`unit.run(fn)`) writes as usual until the unit is joined (`unit.join()` or, from inside,
 * `joinUnitOfWork()`); from then on every statement on a database opened by `createDatabase` joins
 * that database's transaction, begun at the first statement (SQLite: `BEGIN IMMEDIATE`, taking the
 * write lock up front). `commit()` commits them; `rollback()` undoes them. A transaction a store opens
 * inside the unit (`db.transaction()`) becomes a savepoint of it.
 *
 * Hold a joined unit open only around quick work: SQLite has one writer, so other writers wait for
 * the commit. A unit open longer than `maxOpenMs` (default 2 s) is committed by a guard, so that a
 * statement the unit's own work waits for outside its scope cannot wait forever.
 * Several databases in one unit commit one after the other (not atomically across them).
 */
export interface UnitOfWork {
  /** Runs `fn` in this unit's scope (statements join the unit once it is joined). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** From now on, statements run in this unit's scope join its transactions. */
  join(): void;
  /** Whether statements in the scope join the unit now. */
  readonly joined: boolean;
  /** Commits every transaction the unit began, stops joining, then runs the `afterUnitOfWork` callbacks with `true`. */
  commit(): Promise<void>;
  /** Rolls back every transaction the unit began, stops joining, then runs the callbacks with `false`. */
  rollback(): Promise<void>;
}

interface UnitScope {
  joined: boolean;
  /** Per database (its driver): the connection of the unit's transaction there, begun. */
  transactions: Map<UnitAwareDriver, Promise<SharedConnection>>;
  after: Array<(committed: boolean) => void>;
  guard: NodeJS.Timeout | undefined;
  ending: Promise<void> | undefined;
  /** Joins the unit and arms its guard (see `maxOpenMs`), however it is joined. */
  join: () => void;
}

const scopes = new AsyncLocalStorage<UnitScope>();

/** Whether statements run here join a unit of work now (see {@link UnitOfWork}). */
export function isInUnitOfWork(): boolean {
  return scopes.getStore()?.joined === true;
}

/** Joins the unit of work whose scope this runs in, if any: from now on its statements commit with the unit. */
export function joinUnitOfWork(): void {
  // Through the unit's own join, so that the guard (maxOpenMs) is armed for it too.
  scopes.getStore()?.join();
}

/**
 * Runs `then` once the joined unit of work this runs in ends (`true`: committed), outside its scope; at
 * once with `true` when no unit is joined here. For what must follow a commit: events, waking workers.
 */
export function afterUnitOfWork(then: (committed: boolean) => void): void {
  const scope = scopes.getStore();
  if (scope?.joined) scope.after.push(then);
  else then(true);
}

/**
 * Runs `fn` in a joined unit of work and commits it when `fn` resolves (rolls back when it throws). Inside
 * a joined unit already, `fn` simply joins that one (which commits when its owner says).
 */
export async function runInUnitOfWork<T>(fn: () => Promise<T>, options: { maxOpenMs?: number } = {}): Promise<T> {
  if (isInUnitOfWork()) return fn();
  const unit = createUnitOfWork(options);
  unit.join();
  let result: T;
  try {
    result = await unit.run(fn);
  } catch (error) {
    await unit.rollback();
    throw error;
  }
  await unit.commit();
  return result;
}

/** A unit of work, not joined yet (see {@link UnitOfWork}). */
export function createUnitOfWork(options: { maxOpenMs?: number } = {}): UnitOfWork {
  const maxOpenMs = options.maxOpenMs ?? 2_000;
  const scope: UnitScope = { joined: false, transactions: new Map(), after: [], guard: undefined, ending: undefined, join: () => undefined };
  const end = async (commit: boolean) => {
    // Statements after this point no longer join; one end at a time.
    await scope.ending;
    scope.joined = false;
    clearTimeout(scope.guard);
    scope.guard = undefined;
    const transactions = [...scope.transactions.entries()];
    scope.transactions.clear();
    const after = scope.after.splice(0);
    let failure: unknown;
    let committed = commit;
    scope.ending = (async () => {
      for (const [driver, opening] of transactions) {
        const connection = await opening.catch(() => undefined);
        if (!connection) continue;
        try {
          await driver.endUnit(connection, committed);
        } catch (error) {
          // A failed commit (the database went away): what followed it in the unit is rolled back too.
          failure ??= error;
          committed = false;
        }
      }
    })();
    await scope.ending;
    scope.ending = undefined;
    if (after.length > 0) scopes.exit(() => after.forEach((then) => then(committed)));
    if (failure) throw failure;
  };
  scope.join = () => {
    scope.joined = true;
    clearTimeout(scope.guard);
    scope.guard = setTimeout(() => void end(true).catch(() => undefined), maxOpenMs);
    scope.guard.unref();
  };
  return {
    run: (fn) => scopes.run(scope, fn),
    join: () => scope.join(),
    get joined() {
      return scope.joined;
    },
    commit: () => end(true),
    rollback: () => end(false),
  };
}

/**
 * The one view of a driver connection that Kysely sees (it adds its query log to it), whether the
 * connection serves a unit of work or not. In a unit, releasing it does nothing and transactions
 * nest as savepoints; the unit's BEGIN runs before its first statement.
 */
class SharedConnection implements DatabaseConnection {
  inUnit = false;
  needsBegin = false;
  savepoints = 0;
  /**
   * A statement failed in the unit's transaction and no savepoint was rolled back since: on PostgreSQL the
   * transaction is aborted, and its COMMIT would roll everything back without an error.
   */
  aborted: { error: unknown } | undefined;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly beginSql: string,
    private readonly errorsAbort: boolean,
  ) {}
  async executeQuery<R>(query: CompiledQuery) {
    if (this.needsBegin) {
      this.needsBegin = false;
      // Through the logged method, so that the BEGIN is seen like every statement.
      await this.executeQuery(CompiledQuery.raw(this.beginSql));
    }
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      if (this.inUnit && this.errorsAbort) this.aborted ??= { error };
      throw error;
    }
  }
  streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class UnitAwareDriver implements Driver {
  private readonly views = new WeakMap<DatabaseConnection, SharedConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly beginSql: string,
    private readonly errorsAbort: boolean,
  ) {}

  private view(connection: DatabaseConnection): SharedConnection {
    let view = this.views.get(connection);
    if (!view) {
      view = new SharedConnection(connection, this.beginSql, this.errorsAbort);
      this.views.set(connection, view);
    }
    return view;
  }

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = scopes.getStore();
    if (!scope?.joined) return this.view(await this.inner.acquireConnection());
    let opening = scope.transactions.get(this);
    if (!opening) {
      opening = (async () => {
        const view = this.view(await this.inner.acquireConnection());
        view.inUnit = true;
        view.needsBegin = true;
        return view;
      })();
      scope.transactions.set(this, opening);
    }
    return opening;
  }

  /** Commits (or rolls back) the unit's transaction on `connection` and gives the connection back. */
  async endUnit(connection: SharedConnection, commit: boolean): Promise<void> {
    try {
      // A unit that ran no statement here began nothing.
      if (connection.needsBegin) return;
      if (commit && connection.aborted) {
        // Nothing in it can be committed: fail with what aborted it (typed, e.g. `unavailable`, when it was).
        await connection.executeQuery(CompiledQuery.raw('rollback'));
        throw connection.aborted.error;
      }
      try {
        await connection.executeQuery(CompiledQuery.raw(commit ? 'commit' : 'rollback'));
      } catch (error) {
        if (commit) await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
        throw error;
      }
    } finally {
      connection.inUnit = false;
      connection.needsBegin = false;
      connection.savepoints = 0;
      connection.aborted = undefined;
      await this.inner.releaseConnection(connection.inner);
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const view = connection as SharedConnection;
    if (!view.inUnit) return this.inner.beginTransaction(view, settings);
    view.savepoints += 1;
    return view.executeQuery(CompiledQuery.raw(`savepoint unit_${view.savepoints}`)).then(() => undefined);
  }

  commitTransaction(connection: DatabaseConnection) {
    const view = connection as SharedConnection;
    if (!view.inUnit) return this.inner.commitTransaction(view);
    const name = `unit_${view.savepoints}`;
    view.savepoints -= 1;
    return view.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)).then(() => undefined);
  }

  rollbackTransaction(connection: DatabaseConnection) {
    const view = connection as SharedConnection;
    if (!view.inUnit) return this.inner.rollbackTransaction(view);
    const name = `unit_${view.savepoints}`;
    view.savepoints -= 1;
    return view
      .executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`))
      .then(() => {
        // Back to before the savepoint (begun before any failure: no savepoint can be begun after one).
        view.aborted = undefined;
        return view.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
      })
      .then(() => undefined);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const view = connection as SharedConnection;
    if (view.inUnit) return;
    await this.inner.releaseConnection(view.inner);
  }

  destroy() {
    return this.inner.destroy();
  }
}

/**
 * `dialect` with its statements joining the unit of work they run in (see {@link UnitOfWork});
 * `beginSql` begins the unit's transaction (`begin immediate` for SQLite, `begin` for PostgreSQL).
 * `errorsAbort`: a failed statement aborts the transaction (PostgreSQL); the unit's commit then
 * fails (rolls back) instead of reporting a commit, unless a savepoint was rolled back since.
 */
export function unitAwareDialect(dialect: Dialect, beginSql: string, options: { errorsAbort?: boolean } = {}): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new UnitAwareDriver(dialect.createDriver(), beginSql, options.errorsAbort === true),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/** Runs `fn` outside any unit of work (for work that outlives its caller's unit: a worker's loop, timers). */
export function outsideUnitOfWork<T>(fn: () => T): T {
  return scopes.exit(fn);
}

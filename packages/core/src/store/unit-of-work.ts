import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryCompiler, type TransactionSettings } from 'kysely';

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
  transactions: Map<UnitAwareDriver, Promise<UnitConnection>>;
  after: Array<(committed: boolean) => void>;
  guard: NodeJS.Timeout | undefined;
  ending: Promise<void> | undefined;
}

const scopes = new AsyncLocalStorage<UnitScope>();

/** Whether statements run here join a unit of work now (see {@link UnitOfWork}). */
export function isInUnitOfWork(): boolean {
  return scopes.getStore()?.joined === true;
}

/** Joins the unit of work whose scope this runs in, if any: from now on its statements commit with the unit. */
export function joinUnitOfWork(): void {
  const scope = scopes.getStore();
  if (scope) scope.joined = true;
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
  const scope: UnitScope = { joined: false, transactions: new Map(), after: [], guard: undefined, ending: undefined };
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
  return {
    run: (fn) => scopes.run(scope, fn),
    join() {
      scope.joined = true;
      clearTimeout(scope.guard);
      scope.guard = setTimeout(() => void end(true).catch(() => undefined), maxOpenMs);
      scope.guard.unref();
    },
    get joined() {
      return scope.joined;
    },
    commit: () => end(true),
    rollback: () => end(false),
  };
}

/** A connection lent to a unit: it stays the unit's (release does nothing) and nests transactions as savepoints. */
class UnitConnection implements DatabaseConnection {
  savepoints = 0;
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(query: CompiledQuery) {
    return this.inner.executeQuery<R>(query);
  }
  streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class UnitAwareDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly beginSql: string,
  ) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = scopes.getStore();
    if (!scope?.joined) return this.inner.acquireConnection();
    let opening = scope.transactions.get(this);
    if (!opening) {
      opening = (async () => {
        const connection = await this.inner.acquireConnection();
        try {
          await connection.executeQuery(CompiledQuery.raw(this.beginSql));
        } catch (error) {
          await this.inner.releaseConnection(connection);
          throw error;
        }
        return new UnitConnection(connection);
      })();
      scope.transactions.set(this, opening);
      // A unit whose transaction could not begin has none to end.
      opening.catch(() => scope.transactions.get(this) === opening && scope.transactions.delete(this));
    }
    return opening;
  }

  /** Commits (or rolls back) the unit's transaction on `connection` and gives the connection back. */
  async endUnit(connection: UnitConnection, commit: boolean): Promise<void> {
    try {
      await connection.inner.executeQuery(CompiledQuery.raw(commit ? 'commit' : 'rollback'));
    } catch (error) {
      if (commit) await connection.inner.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw error;
    } finally {
      await this.inner.releaseConnection(connection.inner);
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    if (!(connection instanceof UnitConnection)) return this.inner.beginTransaction(connection, settings);
    connection.savepoints += 1;
    return connection.inner.executeQuery(CompiledQuery.raw(`savepoint unit_${connection.savepoints}`)).then(() => undefined);
  }

  commitTransaction(connection: DatabaseConnection) {
    if (!(connection instanceof UnitConnection)) return this.inner.commitTransaction(connection);
    const name = `unit_${connection.savepoints}`;
    connection.savepoints -= 1;
    return connection.inner.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)).then(() => undefined);
  }

  rollbackTransaction(connection: DatabaseConnection) {
    if (!(connection instanceof UnitConnection)) return this.inner.rollbackTransaction(connection);
    const name = `unit_${connection.savepoints}`;
    connection.savepoints -= 1;
    return connection.inner
      .executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`))
      .then(() => connection.inner.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)))
      .then(() => undefined);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.savepoint!(connection instanceof UnitConnection ? connection.inner : connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.rollbackToSavepoint!(connection instanceof UnitConnection ? connection.inner : connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.releaseSavepoint!(connection instanceof UnitConnection ? connection.inner : connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof UnitConnection) return;
    await this.inner.releaseConnection(connection);
  }

  destroy() {
    return this.inner.destroy();
  }
}

/**
 * `dialect` with its statements joining the unit of work they run in (see {@link UnitOfWork});
 * `beginSql` begins the unit's transaction (`begin immediate` for SQLite, `begin` for PostgreSQL).
 */
export function unitAwareDialect(dialect: Dialect, beginSql: string): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new UnitAwareDriver(dialect.createDriver(), beginSql),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/**
 * Counts durable transactions from the SQL a database ran (`createDatabase({ onQuery: counter.onQuery })`):
 * a write outside a transaction counts one, a transaction counts one at its commit if it wrote. Right for
 * SQLite, whose one connection runs statements one after another; on PostgreSQL connections interleave
 * and their statements cannot be told apart (count transaction ids there).
 *
 * @example
 * const counter = countDurableTransactions();
 * const database = await createDatabase({ kind: 'memory', onQuery: counter.onQuery });
 * await work();
 * counter.take(); // transactions since the last take
 */
export function countDurableTransactions(): { onQuery(sql: string): void; take(): number } {
  let inTransaction = false;
  let wrote = false;
  let count = 0;
  return {
    onQuery(sql) {
      const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? '';
      if (verb === 'begin' || verb === 'start') [inTransaction, wrote] = [true, false];
      else if (verb === 'commit') {
        if (wrote) count += 1;
        inTransaction = false;
      } else if (verb === 'rollback') inTransaction = false;
      else if (['insert', 'update', 'delete', 'replace'].includes(verb)) {
        if (inTransaction) wrote = true;
        else count += 1;
      }
    },
    take() {
      const taken = count;
      count = 0;
      return taken;
    },
  };
}

/**
 * The export conditions Node resolves imports with in this process: `node` and `import`, plus each
 * `--conditions`/`-C` given on the command line or in `NODE_OPTIONS` (as Node applies them), so a
 * plugin resolved by hand resolves as an `import` of it would.
 *
 * @example
 * processConditions(['--conditions=development']) // Set { 'node', 'import', 'development' }
 */
export function processConditions(argv: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS?.split(/\s+/) ?? [])]): Set<string> {
  const conditions = new Set(['node', 'import']);
  for (let index = 0; index < argv.length; index += 1) {
    const match = /^(?:--conditions|-C)(?:=(.*))?$/.exec(argv[index]!);
    if (!match) continue;
    const value = match[1] ?? argv[(index += 1)];
    if (value) conditions.add(value);
  }
  return conditions;
}

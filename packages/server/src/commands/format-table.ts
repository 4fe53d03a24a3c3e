/**
 * Rows as aligned text columns (two spaces apart), the first row a header; one line per row.
 *
 * @example
 * formatTable([['ID', 'STATE'], ['job_1', 'succeeded']]); // 'ID     STATE\njob_1  succeeded\n'
 */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n') + '\n';
}

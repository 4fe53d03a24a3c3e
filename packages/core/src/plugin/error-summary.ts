/**
 * An error in one line for a message that names it: its name and code when they say something
 * (`SyntaxError: …`, `Error [ERR_MODULE_NOT_FOUND]: …`) and the first line of its message.
 *
 * @example
 * errorSummary(new SyntaxError("Unexpected token '}'\n    at …")) // "SyntaxError: Unexpected token '}'"
 */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0]!;
  const code = (error as { code?: unknown }).code;
  const name = `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}`;
  const message = error.message.split('\n')[0]!;
  return name === 'Error' ? message : `${name}: ${message}`;
}

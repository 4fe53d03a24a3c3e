import { DarkroomError } from '@darkroom/plugin-api';

// Node's socket errors for a server that cannot be reached or went away.
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// PostgreSQL's: the server is shutting down, starting up or full, or the database is gone (dropped, renamed).
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300', '3D000']);
// pg's own, for a connection that ended, timed out or broke (they carry no code).
const driverMessages = [/^Connection terminated/, /timeout exceeded when trying to connect/, /is not queryable/, /Cannot use a pool after calling end/];

/** Whether a PostgreSQL driver failure means the server cannot be reached (rather than a bad query). */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (networkCodes.has(code) || serverCodes.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnreachable);
  return driverMessages.some((pattern) => pattern.test(error.message));
}

/** `host:port/database` of a connection string, never its user name or password. */
export function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the configured database';
  }
}

/**
 * A PostgreSQL that does not answer, as `unavailable` (503, retryable): where it was looked for and
 * what to check, the driver's message in `details.cause`.
 *
 * @example
 * databaseUnavailableError('127.0.0.1:5432/darkroom', new Error('connect ECONNREFUSED 127.0.0.1:5432'));
 */
export function databaseUnavailableError(target: string, cause: unknown): DarkroomError {
  const reason = cause instanceof Error ? cause.message || (cause as { code?: string }).code || cause.name : String(cause);
  return new DarkroomError({
    code: 'unavailable',
    message: `The database at ${target} does not answer (${reason}); check that PostgreSQL is running and reachable there and that DARKROOM_DATABASE_URL has the right host, port, database, user and password`,
    retryable: true,
    details: { store: 'database', database: target, cause: reason },
    cause,
  });
}

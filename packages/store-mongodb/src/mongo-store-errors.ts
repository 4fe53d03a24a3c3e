import { DarkroomError, toDarkroomError } from '@darkroom/core';

/** MongoDB's largest document (BSON), which bounds one session and all its messages. */
export const maxSessionDocumentBytes = 16 * 1024 * 1024;

const duplicateKeyCodes = new Set([11000, 11001]);
// 17419: "Resulting document after update is larger than 16777216"; 10334: BSONObjectTooLarge.
const documentTooLargeCodes = new Set([17419, 10334]);
// The driver's errors for a server it cannot reach or a client that is closed (matched by name, so a
// client from another copy of the driver is read the same way).
const unreachableErrorNames = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoOperationTimeoutError',
]);

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whether a write failed on a unique index (E11000): another writer got there first. */
export const isDuplicateKeyError = (error: unknown): boolean => duplicateKeyCodes.has(codeOf(error) as number);

/** Where the store connects, for messages: the connection string without its password. */
export const redactUrl = (url: string): string => url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1***@');

/**
 * The store's `unavailable` error (503, retryable): what failed and what to check.
 *
 * @example
 * throw storeUnavailableError({ reason: 'connect ECONNREFUSED 127.0.0.1:27017', where: 'mongodb://127.0.0.1:27017', databaseName: 'darkroom' });
 */
export function storeUnavailableError(options: { reason: string; where: string; databaseName: string; cause?: unknown }): DarkroomError {
  return new DarkroomError({
    code: 'unavailable',
    message:
      `The MongoDB conversation store did not answer (${options.reason}); check that MongoDB is running and reachable at ${options.where}, ` +
      `that DARKROOM_MONGODB_URL is right (hosts, port, user and password, authSource, TLS, replicaSet), ` +
      `and that its user may read, write and create indexes in database "${options.databaseName}"`,
    retryable: true,
    details: { store: 'conversation', backend: 'mongodb', databaseName: options.databaseName },
    cause: options.cause,
  });
}

/**
 * A driver failure as the DarkroomError the store throws: a server that cannot be reached is
 * `unavailable`, a session whose document would outgrow 16 MB is a `conflict` that says to start a
 * new session; anything else is `internal` (see `toDarkroomError`).
 */
export function toStoreError(error: unknown, context: { where: string; databaseName: string; sessionId?: string }): DarkroomError {
  if (DarkroomError.isInstance(error)) return error;
  if (documentTooLargeCodes.has(codeOf(error) as number)) {
    return new DarkroomError({
      code: 'conflict',
      message: `Session ${JSON.stringify(context.sessionId ?? '?')} is full: MongoDB keeps a session with all its messages in one document of at most 16 MB; start a new session`,
      details: { ...(context.sessionId !== undefined ? { sessionId: context.sessionId } : {}), maxBytes: maxSessionDocumentBytes },
      cause: error,
    });
  }
  if (error instanceof Error && unreachableErrorNames.has(error.name)) {
    return storeUnavailableError({ reason: reasonOf(error), where: context.where, databaseName: context.databaseName, cause: error });
  }
  return toDarkroomError(error);
}

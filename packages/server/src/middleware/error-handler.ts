import { DarkroomError } from '@darkroom/core';
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ServerEnv } from '../server-env.js';

/** Maps every failure to `{ error: { code, message, details? } }`; unknown failures leak nothing but a request id. */
export function errorHandler(options: { log?: (entry: Record<string, unknown>) => void } = {}): ErrorHandler<ServerEnv> {
  const log = options.log ?? ((entry) => process.stderr.write(`${JSON.stringify(entry)}\n`));
  return function handleError(error, c) {
    const requestId = c.get('requestId');
    if (c.req.raw.signal.aborted || (error instanceof Error && error.message === 'aborted' && !DarkroomError.isInstance(error))) {
      log({ level: 'info', request_id: requestId, message: 'the client closed the connection before the request was read' });
      return c.json({ error: { code: 'invalid_input', message: 'The request was cut off before its body was complete' } }, 400);
    }
    if (DarkroomError.isInstance(error) && error.status < 500) {
      // A refusal that says when to come back (a full job queue) says it in the standard header too.
      const retryAfter = error.details?.retry_after_seconds;
      if (error.status === 429 && typeof retryAfter === 'number') c.header('Retry-After', String(Math.ceil(retryAfter)));
      return c.json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } }, error.status as ContentfulStatusCode);
    }
    if (DarkroomError.isInstance(error) && error.code !== 'internal') {
      log({ level: 'warn', request_id: requestId, code: error.code, message: error.message });
      // A server-side failure's details may hold a provider's answer: only the job it ended is passed on.
      const jobId = error.details?.job_id;
      return c.json({ error: { code: error.code, message: error.message, request_id: requestId, ...(typeof jobId === 'string' ? { details: { job_id: jobId } } : {}) } }, error.status as ContentfulStatusCode);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'payload_too_large' : 'invalid_input';
      return c.json({ error: { code, message: error.message || 'Bad request' } }, error.status as ContentfulStatusCode);
    }
    log({ level: 'error', request_id: requestId, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
    return c.json({ error: { code: 'internal', message: 'Internal error', request_id: requestId } }, 500);
  };
}

export const notFoundHandler: NotFoundHandler<ServerEnv> = (c) =>
  c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404);

import { DarkroomError } from '@darkroom/plugin-api';

/** Seconds a refused submitter is told to wait: a hint, since the queue drains as jobs finish. */
const queueFullRetryAfterSeconds = 5;

/**
 * The refusal of a submit beyond a user's queued-job limit: `rate_limited` (HTTP 429), retryable,
 * `details: { limit, retry_after_seconds }` (the server answers it as `Retry-After`).
 */
export function queueFullError(limit: number): DarkroomError {
  return new DarkroomError({
    code: 'rate_limited',
    message: `You already have ${limit} jobs waiting to run (the limit per user); retry after ${queueFullRetryAfterSeconds} s, when some have started, or cancel jobs you no longer need`,
    retryable: true,
    details: { limit, retry_after_seconds: queueFullRetryAfterSeconds },
  });
}

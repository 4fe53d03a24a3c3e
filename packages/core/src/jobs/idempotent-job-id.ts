import { DarkroomError } from '@darkroom/plugin-api';
import type { IdempotencyRecord } from '../store/idempotency-store.js';

/**
 * The job a replayed idempotency key answers: the first request's job when the hashes match;
 * otherwise an `idempotency_mismatch` error (422) telling the caller to use a new key.
 *
 * @example
 * const held = await keys.reserve({ userId, key, requestHash, jobId });
 * if (!held.created) return queue.get(idempotentJobId(held, requestHash));
 */
export function idempotentJobId(held: Pick<IdempotencyRecord, 'requestHash' | 'jobId'>, requestHash: string): string {
  if (held.requestHash !== requestHash) {
    throw new DarkroomError({
      code: 'idempotency_mismatch',
      message: 'This Idempotency-Key was already used with a different request; use a new key for a new request',
      details: { job_id: held.jobId },
    });
  }
  return held.jobId;
}

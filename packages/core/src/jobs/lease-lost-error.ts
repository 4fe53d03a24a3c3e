import { DarkroomError } from '@darkroom/plugin-api';

/**
 * A worker wrote to a job it no longer holds (its lease expired and another worker claimed the job):
 * `conflict` (409). The runner stops that run quietly; the new holder's work stands.
 */
export function leaseLostError(jobId: string): DarkroomError {
  return new DarkroomError({
    code: 'conflict',
    message: `This worker no longer holds job ${jobId}: another worker claimed it after the lease expired`,
    details: { reason: 'lease_lost', job_id: jobId },
  });
}

/** Whether an error is `leaseLostError`'s. */
export const isLeaseLost = (error: unknown): boolean => error instanceof DarkroomError && error.details?.reason === 'lease_lost';

import { z } from 'zod';
import { history } from './chat-schemas.js';
import { job, serializedError } from './job-schemas.js';

/**
 * The events of a job, by SSE event name, with the shape of their JSON `data`. `snapshot` comes
 * first (the job as `GET /v1/jobs/{id}` answers it); the stream ends after a final event.
 */
export const jobEvents = {
  snapshot: job.describe('The job now; when it has already ended, the stream ends after it'),
  'job.queued': z.object({ job_id: z.string(), kind: z.string() }),
  'job.started': z.object({ job_id: z.string(), attempt: z.number().int() }),
  'job.progress': z.object({ job_id: z.string(), progress: z.number().min(0).max(100).describe('Percent, 0..100 (not a fraction); never decreases') }),
  'step.started': z.object({ job_id: z.string(), step: z.string(), attempt: z.number().int() }),
  'step.succeeded': z.object({ job_id: z.string(), step: z.string() }),
  'step.failed': z.object({ job_id: z.string(), step: z.string(), error: serializedError }),
  'job.retrying': z.object({ job_id: z.string(), error: serializedError, run_after: z.number().describe('Epoch milliseconds of the next attempt') }),
  'job.succeeded': z.union([
    z.object({ job_id: z.string(), result: z.unknown().describe('The job\'s result, as in the job') }),
    z.object({ job_id: z.string(), result_omitted: z.literal(true).describe('The result could not be read back: fetch the job') }),
  ]),
  'job.failed': z.object({ job_id: z.string(), error: serializedError }),
  'job.cancelled': z.object({ job_id: z.string() }),
} as const;

/** The SSE events that end a job's stream. */
export const finalJobEvents = ['job.succeeded', 'job.failed', 'job.cancelled'] as const;

/**
 * The events of a chat session: a `snapshot` of the newest messages first, then `message.updated`
 * whenever a message changes, and the `job.*` / `step.*` events of its turns' jobs.
 */
export const sessionEvents = {
  ...jobEvents,
  snapshot: history.describe('The newest 20 messages, newest first: the first page of the message list'),
  'message.updated': z.object({ session_id: z.string(), message_id: z.string(), job_id: z.string(), status: z.string().describe('PROCESSING, DONE or FAILED') }),
} as const;

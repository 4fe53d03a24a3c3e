import { z } from 'zod';

export const serializedError = z.object({ code: z.string(), message: z.string(), retryable: z.boolean().optional(), details: z.record(z.string(), z.unknown()).optional() });

export const jobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const job = z
  .object({
    id: z.string(),
    kind: z.string().describe('feature or chat'),
    state: jobState,
    progress: z.number().min(0).max(100).describe('How far the job is, in percent (0..100, not a fraction); never decreases; 100 once succeeded'),
    attempt: z.number().int(),
    max_attempts: z.number().int(),
    result: z.unknown().describe('The feature result when succeeded'),
    error: serializedError.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    steps: z.array(z.object({ key: z.string(), status: z.string(), attempt: z.number().int(), started_at: z.string(), finished_at: z.string().nullable(), error: serializedError.nullable() })),
  })
  .meta({ id: 'Job' });

export const acceptedJob = z.object({ job_id: z.string(), status: jobState, status_url: z.string(), events_url: z.string() }).meta({ id: 'AcceptedJob' });

/** A job as `GET /v1/jobs` lists it: the job without its steps. */
export const jobSummary = job.omit({ steps: true }).meta({ id: 'JobSummary' });

export const jobPage = z
  .object({ jobs: z.array(jobSummary).describe('Newest first'), next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page') })
  .meta({ id: 'JobPage' });

export const jobQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).optional().describe('Jobs per page (default 20, at most 100)'),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
    state: jobState.optional().describe('Only jobs in this state'),
    kind: z.string().max(100).optional().describe('Only jobs of this kind: `feature`, `chat`, or a workflow\'s name'),
  })
  .strict();

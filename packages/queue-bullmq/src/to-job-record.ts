import type { JobRecord, JobState, SerializedError } from '@darkroom/core';
import type { JobJson, JobState as BullmqJobState } from 'bullmq';

/** What a job's BullMQ `data` holds: the parts of `NewJob` that never change. */
export interface BullmqJobData {
  userId: string;
  kind: string;
  input: unknown;
  maxAttempts: number;
  /** Epoch ms the job was first due. */
  runAfter: number;
  deadlineAt?: number;
  idempotencyKey?: string;
}

/**
 * Fields Darkroom adds to BullMQ's hash of a job, written by BullMQ's own moves (`fieldsToUpdate` of
 * `moveToFailed`/`moveToDelayed`), so that they change in the same atomic, lock-checked step as the
 * job's state.
 */
export interface DarkroomJobFields {
  /** JSON `SerializedError`: why the job was released for a retry, or how it failed. */
  darkroomError?: string;
  /** `cancelled` on a job that BullMQ holds as failed because it was cancelled while running. */
  darkroomState?: string;
  /** Epoch ms a released job is due. */
  darkroomRunAfter?: string;
}

/** The names of {@link DarkroomJobFields}, for reading them back (`HMGET`). */
export const darkroomJobFields = ['darkroomError', 'darkroomState', 'darkroomRunAfter'] as const;

/** {@link DarkroomJobFields} from an `HMGET` of {@link darkroomJobFields}. */
export const toDarkroomJobFields = (values: readonly (string | null)[]): DarkroomJobFields =>
  Object.fromEntries(darkroomJobFields.flatMap((field, index) => (values[index] ? [[field, values[index]]] : [])));

/**
 * What Darkroom keeps of a job beside BullMQ, in the hash `<prefix>:<queueName>:job:<id>` (strings).
 * It lives as long as the job: no expiry while the job waits or runs, `retention.maxAgeMs` once it
 * ended.
 */
export interface JobExtras {
  /** The job's user: where its BullMQ queue is. */
  user?: string;
  /** `1` once a cancel was requested. */
  cancel?: string;
  /** JSON `SerializedError` of a job failed by a stall limit or cancelled while queued. */
  error?: string;
  /** Who claimed the job last, and until when its lease was last extended (epoch ms). */
  owner?: string;
  leaseExpiresAt?: string;
  /** Epoch ms of the first claim. */
  startedAt?: string;
  updatedAt?: string;
  /** JSON `JobRecord` of a cancelled job: cancelled jobs leave BullMQ and are answered from here. */
  record?: string;
}

const number = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

const parse = <T>(json: string | undefined): T | undefined => {
  if (json === undefined || json === '') return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
};

/**
 * Darkroom's state of a job from BullMQ's: `waiting`, `prioritized`, `delayed` → `queued` (a job
 * released for a retry waits in `delayed` until its `runAfter`); `active` → `running` (BullMQ's lock
 * is the lease); `completed` → `succeeded`; `failed` → `failed` (`cancelled` when Darkroom marked it so
 * as it failed it: a running job that was cancelled). A job that stalled too often waits
 * in BullMQ with a deferred failure until a fetch fails it: it is `failed` already. Cancelled jobs
 * are no longer in BullMQ (see `JobExtras.record`).
 */
function toJobState(state: BullmqJobState | 'unknown', deferredFailure: string | undefined, darkroomState?: string): JobState | undefined {
  switch (state) {
    case 'active':
      return 'running';
    case 'completed':
      return 'succeeded';
    case 'failed':
      return darkroomState === 'cancelled' ? 'cancelled' : 'failed';
    case 'unknown':
      return undefined;
    default:
      return deferredFailure ? 'failed' : 'queued';
  }
}

/** The message of a job given up after too many stalls (the SQL queue's words). */
export const stalledTooOften = (stalls: number) => `The job stalled ${stalls} times (its worker stopped while running it); giving up`;

/**
 * A `JobRecord` from BullMQ's job (`getJobData`), its state (`getState`), Darkroom's fields in the
 * job's hash and Darkroom's extras;
 * `undefined` when BullMQ no longer has the job. Field by field:
 *
 * - `attempt` = BullMQ's `attemptsStarted` (`ats`, counted by each move to active, never lowered:
 *   the fencing token). The fetch that fails a job with a deferred failure is not a claim and is
 *   not counted.
 * - `stalls` = BullMQ's `stalledCounter` (`stc`); `progress` = BullMQ's progress (100 once succeeded);
 *   `result` = BullMQ's return value.
 * - `error` = the stall failure for a job with a deferred failure, else `darkroomError`, else the
 *   extras' error, else BullMQ's failed reason.
 * - `runAfter` = `darkroomRunAfter` of a released job, else when it was first due.
 * - `cancelRequested`, `leaseOwner`, `leaseExpiresAt`, `startedAt` from the extras;
 *   `createdAt` = BullMQ's `timestamp`, `finishedAt` = `finishedOn`.
 */
export function toJobRecord(
  id: string,
  state: BullmqJobState | 'unknown',
  json: JobJson | undefined,
  extras: JobExtras,
  fields: DarkroomJobFields = {},
): JobRecord | undefined {
  if (!json) return undefined;
  const jobState = toJobState(state, json.deferredFailure, fields.darkroomState);
  const data = parse<BullmqJobData>(json.data);
  if (!jobState || !data) return undefined;
  const stalls = json.stalledCounter ?? 0;
  const failedByFetch = jobState === 'failed' && json.deferredFailure !== undefined && json.finishedOn !== undefined;
  // A deferred failure can only end the job one way: given up after too many stalls.
  const error: SerializedError | undefined =
    json.deferredFailure !== undefined
      ? { code: 'internal', message: stalledTooOften(stalls), retryable: false }
      : (parse<SerializedError>(fields.darkroomError) ??
        parse<SerializedError>(extras.error) ??
        (json.failedReason ? { code: 'internal', message: json.failedReason, retryable: false } : undefined));
  const progress = jobState === 'succeeded' ? 100 : typeof json.progress === 'number' ? json.progress : 0;
  const running = jobState === 'running';
  const createdAt = json.timestamp;
  const updatedAt = Math.max(createdAt, json.processedOn ?? 0, json.finishedOn ?? 0, number(extras.updatedAt) ?? 0);
  return {
    id,
    userId: data.userId,
    kind: data.kind,
    input: data.input,
    state: jobState,
    attempt: Math.max(0, (json.attemptsStarted ?? 0) - (failedByFetch ? 1 : 0)),
    maxAttempts: data.maxAttempts,
    stalls,
    progress,
    ...(jobState === 'succeeded' ? { result: parse(json.returnvalue) ?? null } : {}),
    ...(error && jobState !== 'succeeded' ? { error } : {}),
    cancelRequested: extras.cancel === '1',
    ...(data.idempotencyKey !== undefined ? { idempotencyKey: data.idempotencyKey } : {}),
    runAfter: number(fields.darkroomRunAfter) ?? data.runAfter ?? createdAt,
    ...(data.deadlineAt !== undefined ? { deadlineAt: data.deadlineAt } : {}),
    ...(running && extras.owner ? { leaseOwner: extras.owner } : {}),
    ...(running && extras.leaseExpiresAt ? { leaseExpiresAt: Number(extras.leaseExpiresAt) } : {}),
    createdAt,
    updatedAt,
    ...(extras.startedAt ? { startedAt: Number(extras.startedAt) } : json.processedOn ? { startedAt: json.processedOn } : {}),
    ...(json.finishedOn && jobState !== 'queued' && jobState !== 'running' ? { finishedAt: json.finishedOn } : {}),
  };
}

/** The record of a cancelled job, kept in its extras (`undefined` when it has none). */
export const cancelledRecord = (extras: JobExtras): JobRecord | undefined => parse<JobRecord>(extras.record);

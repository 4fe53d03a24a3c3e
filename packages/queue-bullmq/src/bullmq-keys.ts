import { QueueKeys } from 'bullmq';

/**
 * Where one Darkroom queue lives in Redis. Each user's jobs are one BullMQ queue,
 * `<queueName>.<encodeURIComponent(userId)>` (BullMQ's own keys `<prefix>:<that name>:wait`, `:active`,
 * `:delayed`, …), so that a user at the running limit can be skipped and BullMQ's global concurrency
 * caps each user. Darkroom's own keys sit beside them under `<prefix>:<queueName>:` (no BullMQ queue
 * has that name):
 *
 * - `users` (hash user → key prefix of the user's BullMQ queue): users with queued or running jobs;
 * - `touched` (hash user → epoch ms of the latest submit): a user is forgotten from `users` only when
 *   its queue is empty and it submitted nothing for a while, so a submit in flight is never lost;
 * - `known` (hash user → key prefix): every user the queue has seen, for counts;
 * - `served` (hash user → epoch ms of the latest claim) and `served-latest`: fair share;
 * - `pending:<user>` (sorted set job id → expiry): submits under a queued limit, between the count
 *   and BullMQ's add;
 * - `job:<id>` (hash): what BullMQ does not keep of a job (see `JobExtras`);
 * - `jobs:<user>` (sorted set, every score 0, so ordered by id, which sorts by creation time): every
 *   job the user submitted, for `list` (a job whose record is gone is dropped from it when listed);
 * - `cancelled` (sorted set job id → when): cancelled jobs, which leave BullMQ;
 * - `signals` (pub/sub channel): `due` and `cancel` messages for `watch`.
 */
export interface BullmqKeys {
  /** `<prefix>:<queueName>:` */
  base: string;
  users: string;
  touched: string;
  known: string;
  served: string;
  servedLatest: string;
  cancelled: string;
  signals: string;
  pending(userId: string): string;
  job(jobId: string): string;
  /** A user's jobs by id (see `list`). */
  jobs(userId: string): string;
  /** The BullMQ queue name of a user's jobs. */
  userQueueName(userId: string): string;
  /** The prefix of every key of a user's BullMQ queue (`<prefix>:<user queue name>:`); a job's hash is this plus its id. */
  userKeyPrefix(userId: string): string;
}

/** The key layout of one Darkroom queue (see {@link BullmqKeys}). */
export function bullmqKeys(prefix: string, queueName: string): BullmqKeys {
  const base = `${prefix}:${queueName}:`;
  const queueKeys = new QueueKeys(prefix);
  const userQueueName = (userId: string) => `${queueName}.${encodeURIComponent(userId)}`;
  return {
    base,
    users: `${base}users`,
    touched: `${base}touched`,
    known: `${base}known`,
    served: `${base}served`,
    servedLatest: `${base}served-latest`,
    cancelled: `${base}cancelled`,
    signals: `${base}signals`,
    pending: (userId) => `${base}pending:${encodeURIComponent(userId)}`,
    job: (jobId) => `${base}job:${jobId}`,
    jobs: (userId) => `${base}jobs:${encodeURIComponent(userId)}`,
    userQueueName,
    userKeyPrefix: (userId) => queueKeys.toKey(userQueueName(userId), ''),
  };
}

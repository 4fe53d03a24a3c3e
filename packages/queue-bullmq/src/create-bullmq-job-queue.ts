import { randomUUID } from 'node:crypto';
import {
  DarkroomError,
  errors,
  idempotentJobId,
  maxJobPage,
  queueFullError,
  type IdempotencyRecord,
  type IdempotencyStore,
  type JobQueue,
  type JobRecord,
  type JobState,
  type NewJob,
  type SerializedError,
} from '@darkroom/core';
import { ErrorCode, Job, type JobJson, type KeepJobs } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { bullmqKeys } from './bullmq-keys.js';
import { createQueueSignals } from './create-queue-signals.js';
import { defineQueueScripts } from './define-queue-scripts.js';
import { closeRedis, openRedis, pingRedis } from './open-redis.js';
import { describeRedis, redisUnavailableError } from './redis-unavailable-error.js';
import {
  cancelledRecord,
  darkroomJobFields,
  stalledTooOften,
  toDarkroomJobFields,
  toJobRecord,
  type BullmqJobData,
  type DarkroomJobFields,
  type JobExtras,
} from './to-job-record.js';
import { createUserQueues, type UserQueue } from './create-user-queues.js';

export interface BullmqJobQueueOptions {
  /**
   * `redis://[:password@]host:6379[/db]` (`rediss://` for TLS), or ioredis options (no `keyPrefix`:
   * use `prefix`). The queue opens its own connections (one for commands, one more once `watch` is
   * called) and closes them in `close()`.
   */
  connection: string | RedisOptions;
  /** Names the queue; each user's jobs are the BullMQ queue `<queueName>.<user>`. Default `darkroom-jobs`; no `:`. */
  queueName?: string;
  /** BullMQ's key prefix. Default `bull`. For Redis Cluster use a hash tag (`{darkroom}`): the scripts touch every user's keys. */
  prefix?: string;
  /** Where idempotency keys are kept: a store shared by every API process (SQL, see `createSqlIdempotencyStore`). */
  idempotency: IdempotencyStore;
  /**
   * How long finished jobs stay answerable by `get`: at most `maxCountPerUser` succeeded and as many
   * failed jobs per user (BullMQ's `removeOnComplete`/`removeOnFail`), for `maxAgeMs` (BullMQ trims a
   * user's older jobs when that user's next job ends; Darkroom's own record of a job expires then).
   * Defaults: 7 days, 1000.
   */
  retention?: { maxAgeMs?: number; maxCountPerUser?: number };
  /** How long `ready()` waits for Redis to answer. Default 3000 ms. */
  readyTimeoutMs?: number;
  /**
   * How long `submit`, `get`, `requestCancel` and `countByState` (what API servers call) wait for a
   * Redis that is down or restarting before they reject with `unavailable`, having sent nothing.
   * Default 10 000 ms: a restart of Redis is waited for, an outage is answered. Workers' moves
   * (`claim`, `renew`, `finish`, …) wait for Redis however long it takes.
   */
  unavailableAfterMs?: number;
  /** Hears connection errors (ioredis reconnects by itself). Default: none; `ready()` reports the latest. */
  onError?: (error: DarkroomError) => void;
}

const defaultRetention = { maxAgeMs: 7 * 24 * 60 * 60 * 1000, maxCountPerUser: 1000 };
/** The lock a fetch takes before `claim` sets it to the caller's lease. */
const fetchLockMs = 30_000;
/** A user with nothing queued or running is forgotten from the claim scan this long after its latest submit. */
const pruneGraceMs = 60_000;
/** How long a submit under a queued limit holds its place before BullMQ has the job. */
const submitHoldMs = 30_000;
/** Darkroom's record of a job that is being added expires unless the add finishes. */
const addingRecordTtlMs = 24 * 60 * 60 * 1000;
/** Entries of BullMQ's event stream kept per user queue (BullMQ's default is 10 000 per queue). */
const eventsPerUserQueue = 100;
/** Job ids read from a user's index at a time by `list`. */
const listBatch = 50;
/** Claims retried when the user picked had nothing left to take (another claim was faster). */
const claimTries = 8;
/** User queues kept in memory (cheap views on one connection). */
const userQueueCacheSize = 10_000;

/** BullMQ refused a move because the caller no longer holds the job (its lock is gone or another's). */
const lostLock = (error: unknown) =>
  error instanceof Error &&
  [ErrorCode.JobNotExist, ErrorCode.JobLockNotExist, ErrorCode.JobNotInState, ErrorCode.JobLockMismatch].includes((error as { code?: number }).code as ErrorCode);

/**
 * A `JobQueue` on BullMQ (Redis): jobs wait, run and end in BullMQ, one BullMQ queue per user, and
 * every move of a job is BullMQ's own atomic script. Pair it with SQL checkpoints
 * (`createBullmqJobBackend`) so that step checkpoints and idempotency keys are shared by every machine.
 *
 * - `claim` = BullMQ's move to active (`moveToActive`, the manual-fetch primitive behind
 *   `Worker.getNextJob`) on the queue of the user the fair-share rule picks (a Lua script over the
 *   users' BullMQ lists); the lock token is the worker (`owner`), the lock TTL the lease. The per-user
 *   running limit is BullMQ's global concurrency of that user's queue, checked in the same script
 *   that moves the job, so no number of workers exceeds it.
 * - `renew` = `extendLock`; `finish` = `moveToCompleted`/`moveToFailed`; `release` = `moveToDelayed`
 *   until `runAfter`: each refused (false) unless the caller's lock still holds the job.
 * - `sweep` = BullMQ's stalled-job check: a job whose lock expired goes back to wait (`stalls` + 1);
 *   past `maxStalls` BullMQ marks it failed and the sweep fails it at once.
 * - `requestCancel`: a queued job leaves BullMQ and is recorded cancelled; a running one is flagged
 *   and a `cancel` signal is published, which `watch` hears in every process within milliseconds.
 * - `watch`: Redis pub/sub on `<prefix>:<queueName>:signals`.
 * - Idempotency: the key is reserved in `options.idempotency` before BullMQ gets the job, under the
 *   job's id; a replay after a crash between the two adds the same id again (BullMQ ignores a
 *   second add of an id).
 *
 * Redis must keep what it acknowledged: AOF on (`appendonly yes`, `appendfsync everysec` or
 * `always`) and `maxmemory-policy noeviction`. See the package README for the state mapping.
 *
 * @example
 * const queue = createBullmqJobQueue({
 *   connection: process.env.DARKROOM_REDIS_URL!,
 *   idempotency: createSqlIdempotencyStore(database.db),
 * });
 * await queue.ready(); // rejects with `unavailable` naming the Redis and what to check
 */
export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  const queueName = options.queueName ?? 'darkroom-jobs';
  const prefix = options.prefix ?? 'bull';
  const retention = { ...defaultRetention, ...options.retention };
  if (queueName.includes(':')) throw errors.configuration(`The BullMQ queue name ${JSON.stringify(queueName)} contains ':', which BullMQ does not allow`);
  if (!(retention.maxAgeMs > 0) || !(retention.maxCountPerUser > 0)) throw errors.configuration('retention.maxAgeMs and retention.maxCountPerUser must be positive');
  const target = describeRedis(options.connection);
  const client = openRedis(options.connection);
  const unavailableAfterMs = options.unavailableAfterMs ?? 10_000;
  let lastError: unknown;
  const heard = (error: unknown) => {
    lastError = error;
    options.onError?.(redisUnavailableError(target, error));
  };
  client.on('error', heard);

  /**
   * Resolves at once while connected; otherwise when Redis answers a PING within
   * `unavailableAfterMs`, or rejects with `unavailable`. The connection queues commands while it is
   * down and sends them when Redis is back (a worker's move must not stop halfway): an API call
   * that waited past its answer would act after its client was told it failed, so it sends
   * nothing until Redis answers.
   */
  const reachable = async () => {
    if (client.status !== 'ready') await pingRedis(client, target, unavailableAfterMs, () => lastError);
  };
  /**
   * An API server's call: sent only once Redis answers (above), and answered within
   * `unavailableAfterMs` even when the connection dies under it (Redis killed while the call was in
   * flight); then what was sent may or may not have taken effect, and the error says to retry with
   * the same Idempotency-Key.
   */
  const answered = async <T>(work: () => Promise<T>): Promise<T> => {
    await reachable();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(redisUnavailableError(target, new Error(`no answer within ${unavailableAfterMs} ms; what was sent may or may not have taken effect: retry with the same Idempotency-Key`))),
        unavailableAfterMs,
      );
    });
    try {
      return await Promise.race([work(), late]);
    } finally {
      clearTimeout(timer);
    }
  };

  const keys = bullmqKeys(prefix, queueName);
  const scripts = defineQueueScripts(client, keys);
  const keep: KeepJobs = { age: Math.ceil(retention.maxAgeMs / 1000), count: retention.maxCountPerUser };

  const userQueues = createUserQueues({ client, prefix, queueName, userQueueName: keys.userQueueName, fetchLockMs, onError: heard, cacheSize: userQueueCacheSize });
  const queueOf = (userId: string) => userQueues.of(userId);
  const preparedUsers = new Set<string>();

  const signals = createQueueSignals(client, keys.signals, heard);
  const signal = signals.publish;
  const extrasOf = async (id: string) => (await client.hgetall(keys.job(id))) as JobExtras;
  /** A reference to a job for BullMQ's moves (they need its id and options, not its data). */
  const jobRef = (queue: UserQueue, id: string) => new Job(queue, 'darkroom', {}, { attempts: 1 }, id);

  /** Darkroom's fields in BullMQ's hash of the job (see `DarkroomJobFields`). */
  const fieldsOf = async (queue: UserQueue, id: string): Promise<DarkroomJobFields> => {
    return toDarkroomJobFields(await client.hmget(queue.toKey(id), ...darkroomJobFields));
  };

  const load = async (id: string) => {
    const extras = await extrasOf(id);
    const cancelled = cancelledRecord(extras);
    if (cancelled || !extras.user) return { record: cancelled, extras };
    const queue = queueOf(extras.user);
    const [state, json, fields] = await Promise.all([queue.backend.getState(id), queue.backend.getJobData(id), fieldsOf(queue, id)]);
    return { record: toJobRecord(id, state, json, extras, fields), extras, queue };
  };
  const get = async (id: string) => (await load(id)).record;
  const getWhenReachable = (id: string) => answered(() => get(id));

  /** Gives BullMQ the job `id` (`replay`: the id an idempotency key kept, perhaps half added before). */
  const add = async (id: string, job: NewJob, replay = false): Promise<JobRecord> => {
    const holder = await client.hget(keys.job(id), 'user');
    if (holder !== null && (!replay || holder !== job.userId)) {
      throw new DarkroomError({ code: 'conflict', message: `A job with the id ${JSON.stringify(id)} already exists`, details: { job_id: id } });
    }
    const now = Date.now();
    const runAfter = job.runAfter ?? now;
    const queue = queueOf(job.userId);
    if (!preparedUsers.has(job.userId)) {
      await queue.backend.setQueueMeta({ 'opts.maxLenEvents': eventsPerUserQueue });
      if (preparedUsers.size >= userQueueCacheSize) preparedUsers.clear();
      preparedUsers.add(job.userId);
    }
    const keyPrefix = keys.userKeyPrefix(job.userId);
    // The user is listed before BullMQ has the job (a claim scan never drops a user it touched lately),
    // and the job's record expires unless the add below finishes.
    await client
      .multi()
      .hset(keys.job(id), { user: job.userId, updatedAt: now })
      .pexpire(keys.job(id), addingRecordTtlMs)
      .hset(keys.users, job.userId, keyPrefix)
      .hset(keys.touched, job.userId, now)
      .hset(keys.known, job.userId, keyPrefix)
      .zadd(keys.jobs(job.userId), 0, id)
      .exec();
    const data: BullmqJobData = {
      userId: job.userId,
      kind: job.kind,
      input: job.input,
      maxAttempts: job.maxAttempts,
      runAfter,
      ...(job.deadlineAt !== undefined ? { deadlineAt: job.deadlineAt } : {}),
      ...(job.idempotency ? { idempotencyKey: job.idempotency.key } : {}),
    };
    await Job.create(queue, job.kind, data, { jobId: id, delay: Math.max(0, runAfter - now), attempts: 1, timestamp: now });
    await client.persist(keys.job(id));
    if (runAfter <= now) await signal({ type: 'due' });
    return {
      id,
      userId: job.userId,
      kind: job.kind,
      input: job.input,
      state: 'queued',
      attempt: 0,
      maxAttempts: job.maxAttempts,
      stalls: 0,
      progress: 0,
      cancelRequested: false,
      ...(job.idempotency ? { idempotencyKey: job.idempotency.key } : {}),
      runAfter,
      ...(job.deadlineAt !== undefined ? { deadlineAt: job.deadlineAt } : {}),
      createdAt: now,
      updatedAt: now,
    };
  };

  /** The answer to a replayed idempotency key. */
  const replay = async (held: IdempotencyRecord, job: NewJob) => {
    const id = idempotentJobId(held, job.idempotency!.requestHash);
    const existing = await get(id);
    if (existing) return { job: existing, created: false };
    if (Date.now() - held.createdAt > retention.maxAgeMs) {
      throw new DarkroomError({ code: 'conflict', message: 'The job of this Idempotency-Key no longer exists', details: { job_id: id } });
    }
    // The first submit stopped between keeping the key and adding the job: add it now, under the key's id.
    return { job: await add(id, { ...job, id }, true), created: true };
  };

  /** Fails a job BullMQ marked as stalled too often, through the fetch that holds it (`token`). */
  const failStalled = async (queue: UserQueue, id: string, json: JobJson, token: string) => {
    const message = stalledTooOften(json.stalledCounter ?? 0);
    const error: SerializedError = { code: 'internal', message, retryable: false };
    try {
      await queue.backend.moveToFailed(jobRef(queue, id), message, keep, token, false, { darkroomError: JSON.stringify(error) });
    } catch (error) {
      if (lostLock(error)) return false;
      throw error;
    }
    await client.multi().hset(keys.job(id), { updatedAt: Date.now() }).hdel(keys.job(id), 'owner', 'leaseExpiresAt').pexpire(keys.job(id), retention.maxAgeMs).exec();
    return true;
  };

  /** Records a job as cancelled and takes it out of BullMQ (cancelled jobs are answered from the record). */
  const recordCancelled = async (id: string, record: JobRecord, error: SerializedError) => {
    const now = Date.now();
    const cancelled: JobRecord = { ...record, state: 'cancelled', cancelRequested: true, error, finishedAt: now, updatedAt: now };
    delete cancelled.leaseOwner;
    delete cancelled.leaseExpiresAt;
    await client
      .multi()
      .hset(keys.job(id), { record: JSON.stringify(cancelled), cancel: '1', error: JSON.stringify(error), updatedAt: now })
      .pexpire(keys.job(id), retention.maxAgeMs)
      .zadd(keys.cancelled, now, id)
      .exec();
    return cancelled;
  };

  const sweeperToken = `darkroom-sweeper-${randomUUID()}`;
  /** Fails at once a job that BullMQ left waiting with a deferred failure, when it is next in its user's line. */
  const failDeferred = async (userId: string, id: string) => {
    const queue = queueOf(userId);
    if ((await client.lindex(queue.keys.wait!, -1)) !== id) return;
    const [json, fetched] = await queue.backend.moveToActive(sweeperToken, undefined);
    if (!json || typeof json === 'number' || !fetched) return;
    // Another claim was faster: hand what we took back (BullMQ counts that fetch as a start).
    if (!json.deferredFailure) await queue.backend.moveJobFromActiveToWait(fetched, sweeperToken);
    else await failStalled(queue, fetched, json, sweeperToken);
  };

  let closing: Promise<void> | undefined;

  return {
    name: 'bullmq',
    get: getWhenReachable,

    async submit(job, limits = {}) {
      if (job.id.includes(':') || String(Number.parseInt(job.id, 10)) === job.id) {
        throw errors.invalidInput(`A job id for BullMQ may neither contain ':' nor be an integer: ${JSON.stringify(job.id)}`);
      }
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(job.userId)) {
        // A user's queue is named after the id (URI-encoded): a lone UTF-16 surrogate has no encoding.
        throw errors.invalidInput(`A user id must be well-formed Unicode (it holds a lone surrogate): ${JSON.stringify(job.userId)}`);
      }
      return answered(async () => {
        const idempotency = job.idempotency;
        if (idempotency) {
          const existing = await options.idempotency.find(job.userId, idempotency.key);
          if (existing) return replay(existing, job);
        }
        const limit = limits.maxQueuedPerUser ?? Infinity;
        if (limit !== Infinity && !(await scripts.reserveQueued({ userId: job.userId, jobId: job.id, now: Date.now(), limit, holdMs: submitHoldMs }))) {
          throw queueFullError(limit);
        }
        try {
          if (idempotency) {
            const held = await options.idempotency.reserve({ userId: job.userId, key: idempotency.key, requestHash: idempotency.requestHash, jobId: job.id });
            if (!held.created) return await replay(held, job);
          }
          return { job: await add(job.id, job), created: true };
        } finally {
          if (limit !== Infinity) await client.zrem(keys.pending(job.userId), job.id);
        }
      });
    },

    async claim(owner, leaseMs, limits = {}) {
      const maxRunning = limits.maxRunningPerUser ?? Infinity;
      const skip: string[] = [];
      for (let attempt = 0; attempt < claimTries; attempt += 1) {
        const picked = await scripts.pickUser({ now: Date.now(), maxRunning: maxRunning === Infinity ? -1 : maxRunning, pruneGraceMs, skip });
        if (!picked) return undefined;
        const queue = queueOf(picked.userId);
        await userQueues.capRunning(picked.userId, maxRunning);
        const [json, id] = await queue.backend.moveToActive(owner, undefined);
        if (!json || typeof json === 'number' || !id) {
          // Another claim took the user's last due job or its last running place.
          await scripts.unserveUser(picked.userId, picked.servedAt, picked.previous);
          skip.push(picked.userId);
          continue;
        }
        if (json.deferredFailure) {
          await failStalled(queue, id, json, owner);
          continue;
        }
        await queue.backend.extendLock(id, owner, leaseMs);
        const now = Date.now();
        const [, , , extras, fields] = (await client
          .multi()
          .hset(keys.job(id), { owner, leaseExpiresAt: now + leaseMs, updatedAt: now })
          .hsetnx(keys.job(id), 'startedAt', String(now))
          .hset(keys.job(id), 'user', picked.userId)
          .hgetall(keys.job(id))
          .hmget(queue.toKey(id), ...darkroomJobFields)
          .exec())!;
        const record = toJobRecord(id, 'active', json, (extras?.[1] ?? {}) as JobExtras, toDarkroomJobFields((fields?.[1] ?? []) as (string | null)[]));
        if (record) return record;
      }
      return undefined;
    },

    async renew(id, owner, leaseMs) {
      const [user, cancel] = await client.hmget(keys.job(id), 'user', 'cancel');
      if (!user) return { held: false, cancelRequested: false };
      const held = (await queueOf(user).backend.extendLock(id, owner, leaseMs)) === 1;
      if (!held) return { held: false, cancelRequested: false };
      await client.hset(keys.job(id), { leaseExpiresAt: Date.now() + leaseMs });
      return { held: true, cancelRequested: cancel === '1' };
    },

    async finish(id, owner, outcome) {
      const user = await client.hget(keys.job(id), 'user');
      if (!user) return false;
      const queue = queueOf(user);
      try {
        if (outcome.state === 'succeeded') await queue.backend.moveToCompleted(jobRef(queue, id), outcome.result ?? null, keep, owner, false);
        else {
          const fields: DarkroomJobFields = { darkroomError: JSON.stringify(outcome.error), ...(outcome.state === 'cancelled' ? { darkroomState: 'cancelled' } : {}) };
          await queue.backend.moveToFailed(jobRef(queue, id), outcome.error.message, keep, owner, false, fields);
        }
      } catch (error) {
        if (lostLock(error)) return false;
        throw error;
      }
      const now = Date.now();
      if (outcome.state === 'cancelled') {
        // BullMQ holds it as failed and marked cancelled; it leaves BullMQ so that counts tell the two apart.
        const loaded = await load(id);
        if (loaded.record) await recordCancelled(id, loaded.record, outcome.error);
        await queue.backend.remove(id, false).catch(() => undefined);
      } else {
        await client.multi().hset(keys.job(id), { updatedAt: now }).hdel(keys.job(id), 'owner', 'leaseExpiresAt').pexpire(keys.job(id), retention.maxAgeMs).exec();
      }
      // A running place of this user is free: a worker may claim the user's next job.
      if ((await client.llen(queue.keys.wait!)) > 0) await signal({ type: 'due' });
      return true;
    },

    async release(id, owner, retry) {
      const user = await client.hget(keys.job(id), 'user');
      if (!user) return false;
      const queue = queueOf(user);
      const now = Date.now();
      const fields: DarkroomJobFields = { darkroomError: JSON.stringify(retry.error), darkroomRunAfter: String(retry.runAfter) };
      try {
        await queue.backend.moveToDelayed(id, now, Math.max(0, retry.runAfter - now), owner, { skipAttempt: true, fieldsToUpdate: fields });
      } catch (error) {
        if (lostLock(error)) return false;
        throw error;
      }
      await client.multi().hset(keys.job(id), { updatedAt: now }).hdel(keys.job(id), 'owner', 'leaseExpiresAt').exec();
      if (retry.runAfter <= Date.now()) await signal({ type: 'due' });
      return true;
    },

    async requestCancel(id) {
      return answered(async () => {
        const { record, queue } = await load(id);
        if (!record || !queue) return record;
        const now = Date.now();
        if (record.state === 'running') {
          await client.hset(keys.job(id), { cancel: '1', updatedAt: now });
          await signal({ type: 'cancel', jobId: id });
          return { ...record, cancelRequested: true, updatedAt: now };
        }
        if (record.state !== 'queued') return record;
        const cancelled = await recordCancelled(id, record, errors.cancelled().toJSON());
        // BullMQ refuses to remove a job a worker holds: then it was claimed meanwhile and runs, flagged.
        const removed = await queue.backend.remove(id, false).catch(() => 0);
        if (removed) return cancelled;
        await client.multi().hdel(keys.job(id), 'record', 'error').persist(keys.job(id)).zrem(keys.cancelled, id).exec();
        await signal({ type: 'cancel', jobId: id });
        return get(id);
      });
    },

    async setProgress(id, owner, progress) {
      const user = await client.hget(keys.job(id), 'user');
      if (!user) return;
      const queue = queueOf(user);
      // Only the lock holder writes (BullMQ's updateProgress itself does not look at the lock).
      if ((await client.get(`${queue.toKey(id)}:lock`)) !== owner) return;
      await queue.backend.updateProgress(id, Math.max(0, Math.min(100, progress)));
    },

    async sweep({ maxStalls }) {
      const users = await client.hkeys(keys.users);
      const lengths = await Promise.all(users.map((user) => client.llen(queueOf(user).keys.active!)));
      const busy = users.filter((_, index) => lengths[index]! > 0);
      const requeued: string[] = [];
      const failed: string[] = [];
      if (busy.length === 0) return { requeued, failed };
      // BullMQ's check moves jobs it marked at its previous run whose lock is gone, then marks every
      // active job. Run twice (its throttle key lasts 1 ms), a sweep requeues every job whose lock
      // expired, at once.
      const check = async () =>
        (await Promise.all(busy.map(async (user) => (await userQueues.forStallCheck(user, maxStalls).moveStalledJobsToWait()).map((id) => ({ user, id }))))).flat();
      const first = await check();
      await new Promise((resolve) => setTimeout(resolve, 2));
      const moved = [...first, ...(await check())];
      const now = Date.now();
      for (const { user, id } of moved) {
        const json = await queueOf(user).backend.getJobData(id);
        if (json?.deferredFailure !== undefined) {
          failed.push(id);
          await failDeferred(user, id);
        } else {
          requeued.push(id);
          await client.multi().hset(keys.job(id), { updatedAt: now }).hdel(keys.job(id), 'owner', 'leaseExpiresAt').exec();
        }
      }
      if (requeued.length > 0) await signal({ type: 'due' });
      return { requeued, failed };
    },

    nextDueAt: () => scripts.nextDue(Date.now()),

    list(userId, query) {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), maxJobPage);
      return answered(async () => {
        const found: JobRecord[] = [];
        let after = query.cursor;
        // Ids newest first from the user's index, a batch at a time, until a page (and one more) matches the filters.
        for (let more = true; more && found.length <= limit; ) {
          const ids = await client.zrevrangebylex(keys.jobs(userId), after ? `(${after}` : '+', '-', 'LIMIT', 0, listBatch);
          more = ids.length === listBatch;
          const records = await Promise.all(ids.map((id) => get(id)));
          for (const [index, record] of records.entries()) {
            const id = ids[index]!;
            after = id;
            if (!record) {
              // Its record is gone (trimmed by retention, or an add that never finished): drop it from the index.
              if (!(await client.exists(keys.job(id)))) await client.zrem(keys.jobs(userId), id);
              continue;
            }
            if (record.userId !== userId || (query.state && record.state !== query.state) || (query.kind && record.kind !== query.kind)) continue;
            found.push(record);
            if (found.length > limit) break;
          }
        }
        const jobs = found.slice(0, limit);
        return { jobs, nextCursor: found.length > limit ? jobs[jobs.length - 1]!.id : null };
      });
    },

    async countByState() {
      return answered(async () => {
        const counts = await scripts.countStates(Date.now() - retention.maxAgeMs);
        const states: Partial<Record<JobState, number>> = {};
        for (const state of ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const) if (counts[state] > 0) states[state] = counts[state];
        return states;
      });
    },

    watch: signals.watch,

    ready: () => pingRedis(client, target, options.readyTimeoutMs ?? 3000, () => lastError),

    close() {
      closing ??= (async () => {
        await signals.close();
        await userQueues.close();
        await closeRedis(client);
      })();
      return closing;
    },
  };
}

import type { Redis } from 'ioredis';
import type { BullmqKeys } from './bullmq-keys.js';

// The scripts read BullMQ's lists and sets of each user's queue (`wait`, `prioritized`, `delayed`,
// `active`, `completed`, `failed`, and a waiting job's `timestamp`) under the key prefixes kept in
// the `users`/`known` hashes. A delayed job's score is `due ms * 0x1000 + sequence` (BullMQ's
// getDelayedScore). They only read BullMQ's keys: every move of a job is BullMQ's own script.

/** Who claims next (the rule of `JobQueue.claim`): fewest running, then served least recently, then oldest due job. */
const pickUser = `
local now = tonumber(ARGV[1])
local maxRunning = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local skip = {}
for i = 4, #ARGV do skip[ARGV[i]] = true end
local dueScore = (now + 1) * 0x1000 - 1
local users = redis.call('HGETALL', KEYS[1])
local best, bestRunning, bestServed, bestDue
for i = 1, #users, 2 do
  local user, kp = users[i], users[i + 1]
  if not skip[user] then
    local dueAt = nil
    local head = redis.call('LINDEX', kp .. 'wait', -1)
    if head then
      dueAt = tonumber(redis.call('HGET', kp .. head, 'timestamp')) or now
    elseif redis.call('ZCARD', kp .. 'prioritized') > 0 then
      dueAt = now
    end
    local delayed = redis.call('ZRANGE', kp .. 'delayed', 0, 0, 'WITHSCORES')
    if delayed[2] and tonumber(delayed[2]) <= dueScore then
      local at = math.floor(tonumber(delayed[2]) / 0x1000)
      if dueAt == nil or at < dueAt then dueAt = at end
    end
    local running = redis.call('LLEN', kp .. 'active')
    if dueAt == nil then
      if running == 0 and delayed[1] == nil and tonumber(redis.call('HGET', KEYS[2], user) or '0') < now - grace then
        redis.call('HDEL', KEYS[1], user)
        redis.call('HDEL', KEYS[2], user)
      end
    elseif maxRunning < 0 or running < maxRunning then
      local served = tonumber(redis.call('HGET', KEYS[3], user) or '0')
      if best == nil or running < bestRunning or (running == bestRunning and (served < bestServed
        or (served == bestServed and (dueAt < bestDue or (dueAt == bestDue and user < best))))) then
        best, bestRunning, bestServed, bestDue = user, running, served, dueAt
      end
    end
  end
end
if best == nil then return false end
local servedAt = math.max(now, tonumber(redis.call('GET', KEYS[4]) or '0') + 1)
local servedText = string.format('%.0f', servedAt)
redis.call('SET', KEYS[4], servedText)
local previous = redis.call('HGET', KEYS[3], best) or '0'
redis.call('HSET', KEYS[3], best, servedText)
return {best, servedText, previous}
`;

/** Takes back a pick whose claim found nothing, unless another claim served the user since. */
const unserveUser = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  if ARGV[3] == '0' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
end
return 1
`;

/** Counts the user's queued jobs (with submits in flight) and holds a place for one more, or answers 0. */
const reserveQueued = `
local kp = ARGV[1]
local now = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local queued = redis.call('LLEN', kp .. 'wait') + redis.call('ZCARD', kp .. 'prioritized') + redis.call('ZCARD', kp .. 'delayed')
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', kp .. id) == 0 then queued = queued + 1 end
end
if queued >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

/** When the next queued job is due, over every user (a waiting job: when it was added). */
const nextDue = `
local now = tonumber(ARGV[1])
local users = redis.call('HGETALL', KEYS[1])
local nextAt = nil
for i = 2, #users, 2 do
  local kp = users[i]
  local at = nil
  local head = redis.call('LINDEX', kp .. 'wait', -1)
  if head then
    at = tonumber(redis.call('HGET', kp .. head, 'timestamp')) or now
  elseif redis.call('ZCARD', kp .. 'prioritized') > 0 then
    at = now
  end
  local delayed = redis.call('ZRANGE', kp .. 'delayed', 0, 0, 'WITHSCORES')
  if delayed[2] then
    local d = math.floor(tonumber(delayed[2]) / 0x1000)
    if at == nil or d < at then at = d end
  end
  if at and (nextAt == nil or at < nextAt) then nextAt = at end
end
if nextAt == nil then return false end
return string.format('%.0f', nextAt)
`;

/** Jobs per Darkroom state over every user the queue has seen; cancelled ones older than ARGV[1] are forgotten. */
const countStates = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
local queued, running, succeeded, failed = 0, 0, 0, 0
local users = redis.call('HGETALL', KEYS[1])
for i = 2, #users, 2 do
  local kp = users[i]
  queued = queued + redis.call('LLEN', kp .. 'wait') + redis.call('ZCARD', kp .. 'prioritized') + redis.call('ZCARD', kp .. 'delayed')
  running = running + redis.call('LLEN', kp .. 'active')
  succeeded = succeeded + redis.call('ZCARD', kp .. 'completed')
  failed = failed + redis.call('ZCARD', kp .. 'failed')
end
return {queued, running, succeeded, failed, redis.call('ZCARD', KEYS[2])}
`;

const scripts = {
  darkroomPickUser: { numberOfKeys: 4, lua: pickUser },
  darkroomUnserveUser: { numberOfKeys: 1, lua: unserveUser },
  darkroomReserveQueued: { numberOfKeys: 1, lua: reserveQueued },
  darkroomNextDue: { numberOfKeys: 1, lua: nextDue },
  darkroomCountStates: { numberOfKeys: 2, lua: countStates },
} as const;

type ScriptName = keyof typeof scripts;

/** The fair-share and limit scripts of one queue, each one atomic in Redis. */
export interface QueueScripts {
  /** The user to claim from next, or `undefined`; marks the user served now (`servedAt`), remembering `previous`. */
  pickUser(options: { now: number; maxRunning: number; pruneGraceMs: number; skip: readonly string[] }): Promise<{ userId: string; servedAt: string; previous: string } | undefined>;
  unserveUser(userId: string, servedAt: string, previous: string): Promise<void>;
  /** True when the user had fewer than `limit` queued jobs: a place is held for `jobId` for `holdMs`. */
  reserveQueued(options: { userId: string; jobId: string; now: number; limit: number; holdMs: number }): Promise<boolean>;
  nextDue(now: number): Promise<number | undefined>;
  countStates(forgetCancelledBefore: number): Promise<{ queued: number; running: number; succeeded: number; failed: number; cancelled: number }>;
}

/**
 * Registers the scripts on `client` (ioredis sends them by SHA and again in full after Redis
 * restarted without its script cache) and answers them typed.
 */
export function defineQueueScripts(client: Redis, keys: BullmqKeys): QueueScripts {
  for (const [name, definition] of Object.entries(scripts)) {
    if (!(name in client)) client.defineCommand(name, definition);
  }
  const run = (name: ScriptName, ...args: (string | number)[]) =>
    (client as unknown as Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>)[name](...args);
  return {
    async pickUser({ now, maxRunning, pruneGraceMs, skip }) {
      const picked = (await run('darkroomPickUser', keys.users, keys.touched, keys.served, keys.servedLatest, now, maxRunning, pruneGraceMs, ...skip)) as
        | [string, string, string]
        | null;
      return picked ? { userId: picked[0], servedAt: picked[1], previous: picked[2] } : undefined;
    },
    async unserveUser(userId, servedAt, previous) {
      await run('darkroomUnserveUser', keys.served, userId, servedAt, previous);
    },
    async reserveQueued({ userId, jobId, now, limit, holdMs }) {
      return (await run('darkroomReserveQueued', keys.pending(userId), keys.userKeyPrefix(userId), now, limit, jobId, holdMs)) === 1;
    },
    async nextDue(now) {
      const next = (await run('darkroomNextDue', keys.users, now)) as string | null;
      return next === null ? undefined : Number(next);
    },
    async countStates(forgetCancelledBefore) {
      const [queued, running, succeeded, failed, cancelled] = (await run('darkroomCountStates', keys.known, keys.cancelled, forgetCancelledBefore)) as number[];
      return { queued: queued!, running: running!, succeeded: succeeded!, failed: failed!, cancelled: cancelled! };
    },
  };
}

import { DarkroomError, featureWorkUnits, holdImageBytes, type Engine } from '@darkroom/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../server-env.js';
import { serverPath } from './server-path.js';

export interface RateLimitOptions {
  /** Work units per window per API key: a request costs 1, or the work it starts (see {@link rateLimit}). */
  limit: number;
  windowSeconds: number;
  /** Requests that are not counted (public paths), by their path in the server (see serverPath). */
  skip?: (path: string) => boolean;
  now?: () => number;
}

interface Window {
  start: number;
  count: number;
}

/** A feature call costs one unit per image it asks for (`featureWorkUnits`). */
function featureUnits(engine: Engine, featureId: string, input: unknown): number {
  const feature = engine.features.list().find((candidate) => candidate.id === featureId);
  // Uploaded bytes stand in as stored images: they do not make the input invalid (and the call cheap).
  const parsed = feature?.input.safeParse(holdImageBytes(input).input);
  // An invalid input costs 1: the engine refuses it (400) before any work.
  return feature && parsed?.success ? featureWorkUnits(feature, parsed.data) : 1;
}

/**
 * A per-key limit on work, not only on requests, announced with the IETF RateLimit headers
 * (`RateLimit-Policy`, `RateLimit`, plus the common `RateLimit-Limit/-Remaining/-Reset`).
 *
 * Every request costs 1 unit at the door. A request that starts work costs what the work is, known
 * before it starts: a chat message its step count (the engine detects the steps, then charges them
 * before writing anything), a feature call one unit per image it asks for (its count field). The routes see an engine whose
 * `submit`/`run`/`chat.send` charge the rest to this key's window first. A cost beyond what is left
 * is refused with 429 and Retry-After; nothing is run or written. Fixed windows, in memory (per server
 * process).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<ServerEnv> {
  const windows = new Map<string, Window>();
  const windowMs = options.windowSeconds * 1000;
  const now = options.now ?? Date.now;

  /**
   * Takes `units` from the key's window, or throws `rate_limited` taking nothing; `cost` is the
   * request's whole cost, named in the refusal. Sets the headers either way.
   */
  function take(c: Context<ServerEnv>, key: string, units: number, cost = units): void {
    const time = now();
    const start = Math.floor(time / windowMs) * windowMs;
    let window = windows.get(key);
    if (!window || window.start !== start) {
      if (windows.size > 100_000) for (const [other, entry] of windows) if (entry.start !== start) windows.delete(other);
      window = { start, count: 0 };
      windows.set(key, window);
    }
    const refused = window.count + units > options.limit;
    if (!refused) window.count += units;
    const remaining = Math.max(0, options.limit - window.count);
    const reset = Math.max(1, Math.ceil((start + windowMs - time) / 1000));
    c.header('RateLimit-Policy', `"per-key";q=${options.limit};w=${options.windowSeconds}`);
    c.header('RateLimit', `"per-key";r=${remaining};t=${reset}`);
    c.header('RateLimit-Limit', String(options.limit));
    c.header('RateLimit-Remaining', String(remaining));
    c.header('RateLimit-Reset', String(reset));
    if (!refused) return;
    c.header('Retry-After', String(reset));
    const what = cost === 1 ? 'This request' : `This request costs ${cost} units of work (one per step or image) and`;
    throw new DarkroomError({
      code: 'rate_limited',
      message: `${what} would go over ${options.limit} units in ${options.windowSeconds} s for this API key (${remaining} left); retry after ${reset} s${cost > options.limit ? ', or ask for less in one request' : ''}`,
      retryable: true,
      details: { limit: options.limit, window_seconds: options.windowSeconds, cost, remaining, retry_after_seconds: reset },
    });
  }

  /** The engine as the routes of this request see it: work is charged to the key before it starts. */
  function chargingEngine(c: Context<ServerEnv>, key: string): Engine {
    const engine = c.get('engine');
    // The door already took 1 unit of the request's cost.
    const chargeBeyondDoor = (cost: number) => take(c, key, cost - 1, cost);
    return Object.create(engine, {
      submit: {
        value: (featureId: string, input: unknown, runOptions?: Parameters<Engine['submit']>[2]) => {
          chargeBeyondDoor(featureUnits(engine, featureId, input));
          return engine.submit(featureId, input, runOptions);
        },
      },
      chat: {
        value: {
          ...engine.chat,
          send: (request: Parameters<Engine['chat']['send']>[0]) =>
            engine.chat.send({
              ...request,
              charge: async (units) => {
                await request.charge?.(units);
                chargeBeyondDoor(units);
              },
            }),
        },
      },
    }) as Engine;
  }

  return async function limitRate(c, next) {
    if (options.skip?.(serverPath(c))) return next();
    const key = c.get('keyId');
    take(c, key, 1);
    c.set('engine', chargingEngine(c, key));
    return next();
  };
}

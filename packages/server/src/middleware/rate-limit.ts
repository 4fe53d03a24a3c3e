import { DarkroomError } from '@darkroom/core';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from '../server-env.js';

export interface RateLimitOptions {
  /** Requests per window per API key. */
  limit: number;
  windowSeconds: number;
  /** Requests that are not counted (public paths). */
  skip?: (path: string) => boolean;
  now?: () => number;
}

/**
 * A fixed-window limit per API key, announced with the IETF RateLimit headers (`RateLimit-Policy`,
 * `RateLimit`, plus the common `RateLimit-Limit/-Remaining/-Reset`); over the limit, 429 with Retry-After.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<ServerEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = options.windowSeconds * 1000;
  const now = options.now ?? Date.now;
  return async function limitRate(c, next) {
    if (options.skip?.(c.req.path)) return next();
    const time = now();
    const start = Math.floor(time / windowMs) * windowMs;
    const key = c.get('keyId');
    let window = windows.get(key);
    if (!window || window.start !== start) {
      if (windows.size > 100_000) for (const [other, entry] of windows) if (entry.start !== start) windows.delete(other);
      window = { start, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    const remaining = Math.max(0, options.limit - window.count);
    const reset = Math.max(1, Math.ceil((start + windowMs - time) / 1000));
    c.header('RateLimit-Policy', `"per-key";q=${options.limit};w=${options.windowSeconds}`);
    c.header('RateLimit', `"per-key";r=${remaining};t=${reset}`);
    c.header('RateLimit-Limit', String(options.limit));
    c.header('RateLimit-Remaining', String(remaining));
    c.header('RateLimit-Reset', String(reset));
    if (window.count > options.limit) {
      c.header('Retry-After', String(reset));
      throw new DarkroomError({ code: 'rate_limited', message: `More than ${options.limit} requests in ${options.windowSeconds} s for this API key; retry after ${reset} s`, retryable: true, details: { limit: options.limit, window_seconds: options.windowSeconds, retry_after_seconds: reset } });
    }
    return next();
  };
}

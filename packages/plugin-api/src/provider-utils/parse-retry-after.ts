/**
 * The longest delay a provider's hint may ask for: one hour. A longer hint (or a date far ahead) is
 * cut to this, so one odd header cannot park a job for days; the retry then finds a fresh hint.
 */
export const maxRetryAfterMs = 60 * 60 * 1000;

/** What `parseRetryAfter` reads headers from: a fetch `Headers` or anything with a `get`. */
export interface HeadersLike {
  get(name: string): string | null | undefined;
}

export interface ParseRetryAfterOptions {
  /** The time an HTTP date is measured from, in epoch milliseconds. Default `Date.now()`. */
  now?: number | undefined;
  /** The cap, in milliseconds. Default {@link maxRetryAfterMs}. */
  maxMs?: number | undefined;
}

const seconds = /^\s*(\d+(?:\.\d+)?)\s*$/;
const dayName = /^\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;

/** A delay in milliseconds, rounded and capped. */
export function cappedDelay(milliseconds: number, maxMs = maxRetryAfterMs): number {
  return Math.min(Math.round(milliseconds), maxMs);
}

function parseValue(value: string, now: number, maxMs: number): number | undefined {
  const delay = seconds.exec(value);
  if (delay) return cappedDelay(Number(delay[1]) * 1000, maxMs);
  if (!dayName.test(value)) return undefined;
  // An HTTP date is always GMT; asctime's form leaves the zone out, and Date.parse would read local time.
  const date = Date.parse(/\b(GMT|UTC)\s*$/i.test(value) ? value : `${value.trim()} GMT`);
  return Number.isNaN(date) ? undefined : cappedDelay(Math.max(0, date - now), maxMs);
}

/**
 * How long a provider asks to wait before the next request, in milliseconds, from a `Retry-After`
 * value (delay-seconds, `"3"`, or an HTTP date, `"Wed, 21 Oct 2015 07:28:00 GMT"`), or from headers:
 * OpenAI-style `retry-after-ms` first, then `retry-after`. A date in the past is 0. Garbage, a
 * negative number or no header is `undefined` (no hint); more than `maxMs` (one hour) is cut to it.
 * DarkroomErrors carry the result as `details.retryAfterMs`, which the workflow runner honours.
 *
 * @example
 * parseRetryAfter('3'); // 3000
 * parseRetryAfter(response.headers); // reads retry-after-ms, then retry-after
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', { now: Date.parse('Wed, 21 Oct 2015 07:28:00 GMT') }); // 30000
 */
export function parseRetryAfter(input: string | HeadersLike | null | undefined, options: ParseRetryAfterOptions = {}): number | undefined {
  if (input === null || input === undefined) return undefined;
  const now = options.now ?? Date.now();
  const maxMs = options.maxMs ?? maxRetryAfterMs;
  if (typeof input === 'string') return parseValue(input, now, maxMs);
  const milliseconds = input.get('retry-after-ms');
  const fromMilliseconds = milliseconds ? seconds.exec(milliseconds) : null;
  if (fromMilliseconds) return cappedDelay(Number(fromMilliseconds[1]), maxMs);
  const value = input.get('retry-after');
  return value ? parseValue(value, now, maxMs) : undefined;
}

import { describe, expect, it } from 'vitest';
import { maxRetryAfterMs, parseRetryAfter } from './parse-retry-after.js';

const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

describe('parseRetryAfter', () => {
  it.each([
    ['3', 3_000],
    ['0', 0],
    [' 120 ', 120_000],
    ['1.5', 1_500],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['Wednesday, 21-Oct-15 07:28:30 GMT', 30_000],
    ['Wed Oct 21 07:28:30 2015', 30_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ])('reads %j (delay-seconds, or an HTTP date from now; a past date is 0) as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, { now })).toBe(expected);
  });

  it('reads an asctime date as GMT whatever the local time zone', () => {
    // The suite's time zone is the machine's; the answer must not depend on it.
    expect(parseRetryAfter('Wed Oct 21 07:28:30 2015', { now })).toBe(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', { now }));
  });

  it.each(['', 'soon', '-5', '-0.5', '3 seconds', '0x10', '1e3', 'Infinity', 'NaN', 'foo 2', 'Wed, 99 Foo 2015 07:28:30 GMT'])('ignores garbage or a negative delay %j', (value) => {
    expect(parseRetryAfter(value, { now })).toBeUndefined();
  });

  it('caps a huge delay at one hour, or at maxMs', () => {
    expect(maxRetryAfterMs).toBe(3_600_000);
    expect(parseRetryAfter('86400', { now })).toBe(maxRetryAfterMs);
    expect(parseRetryAfter('99999999999999999999999', { now })).toBe(maxRetryAfterMs);
    expect(parseRetryAfter('Fri, 31 Dec 2100 23:59:59 GMT', { now })).toBe(maxRetryAfterMs);
    expect(parseRetryAfter('90', { now, maxMs: 60_000 })).toBe(60_000);
  });

  it('reads headers: retry-after-ms first, then retry-after', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3_000);
    expect(parseRetryAfter(new Headers({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:10 GMT' }), { now })).toBe(10_000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': 'later', 'retry-after': '3' }))).toBe(3_000);
    expect(parseRetryAfter(new Headers())).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter({ get: () => undefined })).toBeUndefined();
  });

  it('answers undefined for no value', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

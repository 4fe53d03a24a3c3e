import { describe, expect, it } from 'vitest';
import { maxRetryAfterMs } from './parse-retry-after.js';
import { parseRetryInfo } from './parse-retry-info.js';

const retryInfo = (retryDelay: unknown) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
const body = (retryDelay: unknown) => ({ error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] }, retryInfo(retryDelay)] } });

describe('parseRetryInfo', () => {
  it.each([
    ['22s', 22_000],
    ['1.5s', 1_500],
    ['0.000001s', 0],
    ['0s', 0],
    [{ seconds: 22 }, 22_000],
    [{ seconds: '3', nanos: 500_000_000 }, 3_500],
    [{ nanos: 250_000_000 }, 250],
  ])('reads retryDelay %j as %i ms', (retryDelay, expected) => {
    expect(parseRetryInfo(body(retryDelay))).toBe(expected);
  });

  it('takes the body, its error object or its JSON text', () => {
    expect(parseRetryInfo(body('22s').error)).toBe(22_000);
    expect(parseRetryInfo(JSON.stringify(body('22s')))).toBe(22_000);
    expect(parseRetryInfo({ error: { details: [{ '@type': 'google.rpc.RetryInfo', retryDelay: '2s' }] } })).toBe(2_000);
  });

  it.each([
    ['no body', undefined],
    ['text that is not JSON', '<html>quota</html>'],
    ['no details', { error: { code: 429, message: 'quota' } }],
    ['details that are not a list', { error: { details: 'RetryInfo 22s' } }],
    ['no RetryInfo', { error: { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' }] } }],
    ['no retryDelay', { error: { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo' }] } }],
    ['a delay without a unit', body('22')],
    ['a delay in minutes', body('1m')],
    ['a negative delay', body('-3s')],
    ['a negative object delay', body({ seconds: -3 })],
    ['an empty object delay', body({})],
    ['a garbage object delay', body({ seconds: 'soon' })],
  ])('answers undefined for %s', (_, input) => {
    expect(parseRetryInfo(input)).toBeUndefined();
  });

  it('caps a huge delay at one hour, or at maxMs', () => {
    expect(parseRetryInfo(body('86400s'))).toBe(maxRetryAfterMs);
    expect(parseRetryInfo(body('90s'), { maxMs: 60_000 })).toBe(60_000);
  });
});

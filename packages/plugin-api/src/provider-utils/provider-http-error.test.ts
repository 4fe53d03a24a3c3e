import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../errors/darkroom-error.js';
import { providerHttpError } from './provider-http-error.js';
import type { ProviderIdentity } from './provider-identity.js';

const acme: ProviderIdentity = { id: 'acme', name: 'Acme', environmentVariable: 'ACME_API_KEY' };
const body = { error: { message: 'it went wrong', code: 'acme_code' } };

describe('providerHttpError', () => {
  it.each([
    [400, 'invalid_input', false, /^Acme refused the request \(400\): it went wrong$/],
    [401, 'provider_error', false, /^Acme rejected the API key \(401\); check ACME_API_KEY$/],
    [402, 'provider_error', false, /^The Acme account has no balance left \(402\): it went wrong; top it up$/],
    [403, 'provider_error', false, /^Acme rejected the API key \(403\); check ACME_API_KEY$/],
    [404, 'provider_error', false, /^Acme answered 404 \(not found\): it went wrong; check the model and the base URL$/],
    [405, 'invalid_input', false, /\(405\)/],
    [408, 'timeout', true, /timed out on its side \(408\)/],
    [409, 'provider_error', true, /conflict \(409\)/],
    [413, 'payload_too_large', false, /too large \(413\)/],
    [422, 'invalid_input', false, /refused the request \(422\)/],
    [429, 'rate_limited', true, /rate-limiting requests \(429\): it went wrong/],
    [500, 'provider_unavailable', true, /unavailable \(500\)/],
    [502, 'provider_unavailable', true, /unavailable \(502\)/],
    [503, 'provider_unavailable', true, /unavailable \(503\)/],
    [599, 'provider_unavailable', true, /unavailable \(599\)/],
    [302, 'provider_error', false, /unexpected HTTP status 302/],
  ])('maps HTTP %i to %s (retryable: %s)', (status, code, retryable, message) => {
    const error = providerHttpError({ provider: acme, status, body });
    expect(DarkroomError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code, retryable, message: expect.stringMatching(message), details: { provider: 'acme', status, provider_code: 'acme_code' } });
  });

  it('leaves the explanation of a refused key out of the message', () => {
    const error = providerHttpError({ provider: acme, status: 401, body: { error: { message: 'key sk-12345 is not valid' } } });
    expect(error.message).not.toContain('sk-12345');
  });

  it('treats a key the body calls invalid as refused, whatever the status; a storage can call it configuration', () => {
    expect(providerHttpError({ provider: acme, status: 400, body, keyRejected: true })).toMatchObject({ code: 'provider_error', message: expect.stringMatching(/check ACME_API_KEY/), details: { status: 400 } });
    expect(providerHttpError({ provider: acme, status: 401, rejectedKeyCode: 'configuration' })).toMatchObject({ code: 'configuration', retryable: false });
  });

  it('carries the wait a retryable answer asks for as details.retryAfterMs', () => {
    expect(providerHttpError({ provider: acme, status: 429, headers: new Headers({ 'retry-after': '3' }) }).details).toEqual({ provider: 'acme', status: 429, retryAfterMs: 3_000 });
    expect(providerHttpError({ provider: acme, status: 503, headers: new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:20 GMT' }), now: Date.parse('Wed, 21 Oct 2015 07:28:00 GMT') }).details?.retryAfterMs).toBe(20_000);
    const google = { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '22s' }] } };
    expect(providerHttpError({ provider: acme, status: 429, body: JSON.stringify(google) }).details).toEqual({ provider: 'acme', status: 429, provider_code: 'RESOURCE_EXHAUSTED', retryAfterMs: 22_000 });
    // Retry-After wins over RetryInfo; no hint, no key.
    expect(providerHttpError({ provider: acme, status: 429, body: google, headers: new Headers({ 'retry-after': '1' }) }).details?.retryAfterMs).toBe(1_000);
    expect(providerHttpError({ provider: acme, status: 429 }).details).not.toHaveProperty('retryAfterMs');
    // A hint on an answer that retrying cannot fix is dropped.
    expect(providerHttpError({ provider: acme, status: 400, headers: new Headers({ 'retry-after': '3' }) }).details).not.toHaveProperty('retryAfterMs');
  });

  it('names the parameter the body blames, and copes with bodies that are not JSON or empty', () => {
    expect(providerHttpError({ provider: acme, status: 400, body: { errors: [{ code: 'invalidWidth', message: 'Invalid width', parameter: 'width' }] } }).message).toBe('Acme refused the request (400): Invalid width (parameter width)');
    expect(providerHttpError({ provider: acme, status: 502, body: '<html>\n  Bad gateway\n</html>' }).message).toBe('Acme is unavailable (502): <html> Bad gateway </html>');
    expect(providerHttpError({ provider: acme, status: 500, body: '' })).toMatchObject({ message: 'Acme is unavailable (500)', details: { provider: 'acme', status: 500 } });
  });
});

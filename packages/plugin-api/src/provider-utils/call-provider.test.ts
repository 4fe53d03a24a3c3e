import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../errors/darkroom-error.js';
import { callProvider } from './call-provider.js';
import { providerHttpError } from './provider-http-error.js';
import type { ProviderIdentity } from './provider-identity.js';
import { toProviderError } from './to-provider-error.js';

const acme: ProviderIdentity = { id: 'acme', name: 'Acme', environmentVariable: 'ACME_API_KEY' };
const never = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

describe('callProvider', () => {
  it('answers what the call answers', async () => {
    await expect(callProvider({ provider: acme, timeoutMs: 1_000, run: async () => 'ok' })).resolves.toBe('ok');
  });

  it('turns its own time limit into a retryable timeout error', async () => {
    await expect(callProvider({ provider: acme, timeoutMs: 50, run: never })).rejects.toMatchObject({ code: 'timeout', retryable: true, message: 'Acme did not answer within 50 ms', details: { provider: 'acme' } });
  });

  it("throws the caller's abort reason as it is, and sends nothing when the signal aborted first", async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = callProvider({ provider: acme, signal: controller.signal, timeoutMs: 5_000, run: never });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    let ran = false;
    await expect(callProvider({ provider: acme, signal: controller.signal, run: async () => (ran = true) })).rejects.toBe(reason);
    expect(ran).toBe(false);
  });

  it('passes typed errors through, then mapError, then the generic mapping', async () => {
    const typed = providerHttpError({ provider: acme, status: 429 });
    await expect(callProvider({ provider: acme, run: async () => { throw typed; } })).rejects.toBe(typed);
    class SdkError extends Error {
      constructor(readonly status: number) { super('sdk'); }
    }
    const mapError = (error: unknown) => (error instanceof SdkError ? providerHttpError({ provider: acme, status: error.status }) : undefined);
    await expect(callProvider({ provider: acme, mapError, run: async () => { throw new SdkError(503); } })).rejects.toMatchObject({ code: 'provider_unavailable', details: { status: 503 } });
    await expect(callProvider({ provider: acme, mapError, run: async () => JSON.parse('<html>') })).rejects.toMatchObject({ code: 'provider_error', retryable: true });
  });

  it('says a refused connection is unreachable, with the system code', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await callProvider({ provider: acme, timeoutMs: 5_000, run: (signal) => fetch(`http://127.0.0.1:${port}/`, { signal }) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true, message: expect.stringMatching(/^Acme could not be reached: fetch failed \(ECONNREFUSED\)$/) });
  });
});

describe('toProviderError', () => {
  it.each([
    ['a timeout', new DOMException('timed out', 'TimeoutError'), { code: 'timeout', retryable: true }],
    ['an SDK timeout object', { name: 'TimeoutError', message: 'Request Timeout', http_code: 499 }, { code: 'timeout', retryable: true }],
    ['an abort', new DOMException('aborted', 'AbortError'), { code: 'cancelled', retryable: false }],
    ['a body that is not JSON', new SyntaxError('Unexpected token <'), { code: 'provider_error', retryable: true, message: 'Acme answered with a body that is not valid JSON' }],
    ['a plain error object', { message: 'socket hang up' }, { code: 'provider_unavailable', retryable: true, message: 'Acme could not be reached: socket hang up' }],
    ['a string', 'boom', { code: 'provider_unavailable', message: 'Acme could not be reached: boom' }],
  ])('maps %s', (_, error, expected) => {
    expect(toProviderError({ provider: acme, error })).toMatchObject({ ...expected, details: { provider: 'acme' } });
  });

  it('returns a DarkroomError as it is', () => {
    const error = new DarkroomError({ code: 'content_blocked', message: 'blocked' });
    expect(toProviderError({ provider: acme, error })).toBe(error);
  });
});

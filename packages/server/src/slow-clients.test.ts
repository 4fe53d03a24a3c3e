import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './listen.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let test: TestServer;
let listener: Server;
let port: number;

beforeAll(async () => {
  test = await startTestServer();
  listener = listen(test.server.app.fetch, { port: 0, hostname: '127.0.0.1', timeouts: { headersTimeoutMs: 600, requestTimeoutMs: 1_500 } });
  await new Promise((resolve) => listener.once('listening', resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  await test.close();
});

/** Opens a socket, writes `head` at once, then one more byte every 100 ms; answers the first status line and when the socket closed. */
function dribble(head: string): Promise<{ status: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let status = '';
    socket.write(head);
    const timer = setInterval(() => socket.writable && socket.write('x'), 100);
    socket.on('data', (data) => (status ||= data.toString('latin1').split('\r\n')[0]!));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ status, closedAfterMs: Date.now() - started });
    });
  });
}

describe('slow clients cannot hold a connection', () => {
  it('headers sent a byte at a time: 408 and closed at the header timeout', async () => {
    const { status, closedAfterMs } = await dribble('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(status).toBe('HTTP/1.1 408 Request Timeout');
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('a body sent a byte at a time: 408 and closed at the request timeout, nothing written', async () => {
    const before = (await test.engine.jobs.counts());
    const { status, closedAfterMs } = await dribble(`POST /v1/features/upscale HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ann-key-0123456789abcdef\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"image":"`);
    expect(status).toBe('HTTP/1.1 408 Request Timeout');
    expect(closedAfterMs).toBeLessThan(6_000);
    expect(await test.engine.jobs.counts()).toEqual(before);
  });

  it('a normal request on the same listener is answered', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});

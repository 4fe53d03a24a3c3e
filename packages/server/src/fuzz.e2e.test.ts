import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { Agent, fetch, FormData, type RequestInit, type Response } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, listenerTimeouts } from './listen.js';
import { chelseaDataUri, keys, startTestServer, waitForMessage, type TestServer } from './testing/test-server.js';

/** A small deterministic PRNG (mulberry32), so every run sends the same requests. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-fuzz-'));
const maxBodyBytes = 1024 * 1024;
let test: TestServer;
let listener: Server;
let origin: string;
let document: any;
const ids: Record<string, string> = {};
/** Every request goes over one reused keep-alive socket, as a real client's would. */
const agent = new Agent({ connections: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
/** Requests that failed at the socket (reset, closed, EPIPE) instead of answering: each one is a failure. */
const socketErrors: string[] = [];
let connections = 0;

/** A request over the keep-alive agent; a socket error is recorded and answers undefined. */
async function send(path: string, init: RequestInit = {}): Promise<Response | undefined> {
  try {
    return await fetch(origin + path, { ...init, dispatcher: agent });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    socketErrors.push(`${init.method ?? 'GET'} ${path.slice(0, 80)}: ${cause?.code ?? ''} ${cause?.message ?? String(error)}`);
    return undefined;
  }
}

function snapshot() {
  const db = new Database(join(dataDir, 'darkroom.db'), { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as Array<{ name: string }>;
    const rows = Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
    const jobs = db.prepare('select state, count(*) as n from jobs group by state').all();
    return { rows, jobs, files: readdirSync(join(dataDir, 'assets'), { recursive: true }).length };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  test = await startTestServer({ engine: { dataDir }, server: { maxBodyBytes } });
  listener = listen(test.server.app.fetch, { port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => listener.once('listening', resolve));
  listener.on('connection', () => (connections += 1));
  origin = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;
  document = await (await test.call('nobody', 'GET', '/openapi.json')).json();
  const session = await (await test.call('ann', 'POST', '/api/v1/chat/sessions', { title: 'fuzz' })).json();
  ids.session = session.session_id;
  const sent = await (await test.call('ann', 'POST', `/api/v1/chat/sessions/${ids.session}/messages`, { content: 'enhance this', image: chelseaDataUri })).json();
  ids.message = sent.message_id;
  await waitForMessage(test, 'ann', ids.session, ids.message);
  const result = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri })).json();
  Object.assign(ids, { job: result.job_id, gallery: result.images[0].gallery_id, asset: result.images[0].asset_id });
}, 120_000);

afterAll(async () => {
  await agent.close();
  await new Promise((resolve) => listener.close(resolve));
  await test.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Operation = { method: string; path: string; schema: any };

/** A value of a JSON type the schema does not accept. */
function wrongValue(schema: any, next: () => number): unknown {
  const types = new Set<string>();
  const collect = (node: any) => {
    if (!node) return;
    if (node.type) (Array.isArray(node.type) ? node.type : [node.type]).forEach((type: string) => types.add(type));
    (node.anyOf ?? node.oneOf ?? []).forEach(collect);
    if (node.$ref) types.add('object');
  };
  collect(schema);
  const candidates: unknown[] = [
    ...(types.has('string') ? [] : ['a string', '', '\u0000\uffff']),
    ...(types.has('number') || types.has('integer') ? [] : [42, -1.5, 1e308]),
    ...(types.has('boolean') ? [] : [true]),
    ...(types.has('array') ? [] : [[1, 'two', { three: 3 }]]),
    ...(types.has('object') ? [] : [{ nested: { deeper: [] } }]),
  ];
  return candidates[Math.floor(next() * candidates.length)];
}

function deepJson(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

function malformedBody(operation: Operation, next: () => number): { body?: string | Uint8Array | FormData; headers: Record<string, string> } {
  const json = { 'content-type': 'application/json' };
  const properties: Record<string, any> = operation.schema?.properties ?? {};
  const names = Object.keys(properties);
  const pick = <T,>(items: T[]) => items[Math.floor(next() * items.length)]!;
  switch (Math.floor(next() * 13)) {
    case 0:
      return { body: pick(['{', '{"a":', '[1,2', '{"a":1,}', 'NaN', '{\'a\':1}', '{"a":1}{"b":2}', 'undefined', '\u0000']), headers: json };
    case 1:
      return { body: pick(['[]', '[{"prompt":"x"}]', '42', '"text"', 'null', 'true']), headers: json };
    case 2:
      return { body: deepJson(pick([40, 1000, 20000])), headers: json };
    case 3:
      return { body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), headers: json };
    case 4:
      return { body: JSON.stringify({ prompt: 'x' }), headers: { 'content-type': pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png', 'multipart/form-data', 'multipart/form-data; boundary=xyz']) } };
    case 5:
      return { body: 'x'.repeat(1024 * 1024 + 10), headers: json };
    case 6: {
      if (names.length === 0) return { body: '[]', headers: json };
      const name = pick(names);
      return { body: JSON.stringify({ [name]: wrongValue(properties[name], next) }), headers: json };
    }
    case 7: {
      const bad = pick([
        'data:image/png;base64,!!!not-base64!!!', 'data:image/png,rawbytes', 'data:text/html;base64,PGh0bWw+', 'data:image/png;base64,', { base64: 'A' }, { base64: 123 },
        { base64: 'iVBORw0KGgo=' }, { asset_id: '' }, { asset_id: 'ast_does_not_exist' }, { asset_id: 'x'.repeat(500) }, 'javascript:alert(1)', 'http://10.0.0.1/x.png',
        'http://[::ffff:127.0.0.1]/x.png', 'gopher://localhost:6379/_INFO', { url: 'http://example.com' }, [],
      ]);
      const field = names.includes('mask') && next() < 0.3 ? 'mask' : 'image';
      return { body: JSON.stringify({ [field]: bad }), headers: json };
    }
    case 8:
      return { body: JSON.stringify(Object.fromEntries(names.map((name) => [name, 'x'.repeat(300_000)]).concat([['prompt', 'x'.repeat(300_000)]]))), headers: json };
    case 9: {
      const form = new FormData();
      form.set(pick(['image', 'file', 'avatar', 'mask']), new Blob([pick([new Uint8Array([1, 2, 3]), new TextEncoder().encode('<svg/>'), new Uint8Array([0x89, 0x50, 0x4e, 0x47])])]), 'x.png');
      form.set('scale', pick(['3', 'abc', '{"a":', '1e9']));
      return { body: form, headers: {} };
    }
    case 10:
      return { body: JSON.stringify({ ...Object.fromEntries(names.map((name) => [name, wrongValue(properties[name], next)])) }), headers: { ...json, 'idempotency-key': pick(['', ' ', 'k'.repeat(300), 'k\u00e9y']) } };
    case 11: {
      // Multipart text fields: deep JSON, too many fields, an oversize field, odd names, wrong values.
      const form = new FormData();
      form.set('image', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'x.png');
      const variant = Math.floor(next() * 5);
      if (variant === 0) form.set(pick([...names, 'metadata']), deepJson(pick([33, 200, 5000])));
      else if (variant === 1) for (let index = 0; index < 40; index += 1) form.append(`field${index}`, 'x');
      else if (variant === 2) form.set(pick([...names, 'prompt']), 'x'.repeat(1024 * 1024 + 1));
      else if (variant === 3) form.set(pick(['', '__proto__', 'constructor', 'a'.repeat(500), '🙂']), '{"a":1}');
      else for (const name of names) form.set(name, String(wrongValue(properties[name], next)));
      return { body: form, headers: {} };
    }
    default:
      return { body: '', headers: json };
  }
}

function garbageId(next: () => number): string {
  return ['', 'x', '..', '%2e%2e%2f', 'ses_' + 'z'.repeat(29), 'null', '%00', 'ast_' + '0'.repeat(29), encodeURIComponent('🙂'.repeat(50)), 'a'.repeat(2000), "' or 1=1 --"][Math.floor(next() * 11)]!;
}

describe('fuzzing every route with malformed requests', () => {
  it('answers thousands of them on one keep-alive socket with 4xx: zero 5xx, zero socket errors, nothing is written', async () => {
    const before = snapshot();
    const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]: [string, any]) =>
      Object.entries(methods).map(([method, operation]: [string, any]) => ({ method: method.toUpperCase(), path, schema: operation.requestBody?.content?.['application/json']?.schema })),
    );
    const next = random(20261122);
    const statuses = new Map<number, number>();
    const accepted: string[] = [];
    let sent = 0;
    for (let round = 0; round < 80; round += 1) {
      for (const operation of operations) {
        const usesRealIds = operation.method === 'POST' && next() < 0.5;
        const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => (usesRealIds ? (name === 'messageId' ? ids.message! : ids.session!) : garbageId(next)));
        let response: Response | undefined;
        if (operation.method === 'POST') {
          const { body, headers } = malformedBody(operation, next);
          response = await send(path, { method: 'POST', body: body ?? null, headers: { authorization: `Bearer ${keys.ann}`, ...headers } });
        } else if (operation.method === 'GET') {
          const query = ['?limit=-1', '?limit=abc', '?limit=1e9', '?source=nowhere', '?created_after=yesterday', '?cursor=' + 'z'.repeat(500), '?unknown=1', ''][Math.floor(next() * 8)];
          const isPublic = ['/health', '/ready', '/metrics', '/openapi.json', '/docs'].includes(path);
          response = await send(path + (operation.path.includes('{') || operation.path.startsWith('/v1/gallery') ? query : ''), { headers: { authorization: `Bearer ${keys.ann}`, 'last-event-id': 'abc' } });
          if (isPublic) expect(response?.status).toBe(200);
          if (response && response.status < 400) await response.body?.cancel();
        } else {
          response = await send(path, { method: operation.method, headers: { authorization: `Bearer ${keys.ann}` } });
        }
        sent += 1;
        if (!response) continue;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (operation.method !== 'GET' && response.status < 400) accepted.push(`${operation.method} ${path} → ${response.status}`);
        if (response.status >= 500) throw new Error(`${operation.method} ${path} answered ${response.status}: ${await response.text()}`);
        if (response.status >= 400) {
          const body = (await response.json()) as any;
          expect(typeof body.error.code, `${operation.method} ${path}`).toBe('string');
          expect(typeof body.error.message).toBe('string');
        }
      }
    }
    expect(sent).toBeGreaterThan(3000);
    expect(socketErrors).toEqual([]);
    expect(accepted).toEqual([]);
    expect((await test.call('nobody', 'GET', '/health')).status).toBe(200);
    expect((await test.call('ann', 'POST', '/v1/features/enhance', { image: { asset_id: ids.asset } })).status).toBe(200);
    const after = snapshot();
    expect(after.rows.gallery).toBe(before.rows.gallery! + 1);
    expect(after.rows.jobs).toBe(before.rows.jobs! + 1);
    // The one valid request's job wrote its own rows (a step, an asset, its checkpoint fence); nothing else changed.
    expect({ ...after.rows, gallery: 0, jobs: 0, job_steps: 0, job_fences: 0, assets: 0 }).toEqual({ ...before.rows, gallery: 0, jobs: 0, job_steps: 0, job_fences: 0, assets: 0 });
    expect(after.rows.job_fences).toBe(before.rows.job_fences! + 1);
  }, 300_000);

  it('survives malformed HTTP on a real socket', async () => {
    const port = (listener.address() as { port: number }).port;
    const raw = [
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      'POST /v1/gallery HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789',
      'POST /v1/gallery HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnope\r\n',
      'GARBAGE\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      'GET /health HTTP/1.1\r\nHost: x\r\nX: \u0000\r\n\r\n',
      `POST /v1/features/upscale HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keys.ann}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"image":`,
    ];
    for (const request of raw) {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString('latin1')));
        socket.on('error', () => resolve(data));
        socket.on('close', () => resolve(data));
        socket.write(request);
        setTimeout(() => socket.end(), 300);
      });
      expect(answer.startsWith('HTTP/1.1 5'), `${JSON.stringify(request.slice(0, 60))} → ${answer.slice(0, 80)}`).toBe(false);
    }
    expect((await send('/health'))?.status).toBe(200);
    expect(socketErrors).toEqual([]);
  });
});

describe('a keep-alive client', () => {
  it('loops oversize, wrong-type and over-many-part uploads refused before their body is read, and normal requests, with zero socket errors', async () => {
    socketErrors.length = 0;
    const auth = { authorization: `Bearer ${keys.ann}` };
    const oversize = new Uint8Array(3 * maxBodyBytes).fill(0x41);
    // Bodies far over the limit, with a length and streamed without one: the client is still sending when
    // the 413 is decided, and must read it (the server drains a bounded amount) instead of a reset socket.
    const huge = new Uint8Array(20 * maxBodyBytes).fill(0x43);
    const streamed = () => (async function* () { for (let chunk = 0; chunk < 160; chunk += 1) yield new Uint8Array(64 * 1024).fill(0x44); })();
    const wrongType = new Uint8Array(maxBodyBytes - 1024).fill(0x42);
    const manyParts = new TextEncoder().encode(`${'--b\r\nContent-Disposition: form-data; name=x\r\n\r\ny\r\n'.repeat(18_000)}--b--\r\n`);
    expect(manyParts.byteLength).toBeLessThan(maxBodyBytes);
    const kinds = [
      { expected: 413, init: { method: 'POST', body: oversize, headers: { ...auth, 'content-type': 'application/json' } }, path: '/v1/features/upscale' },
      { expected: 200, init: { method: 'POST', body: JSON.stringify({ prompt: 'a lighthouse at dusk, film grain' }), headers: { ...auth, 'content-type': 'application/json' } }, path: '/v1/prompt/validate' },
      { expected: 415, init: { method: 'POST', body: wrongType, headers: { ...auth, 'content-type': 'image/png' } }, path: '/v1/features/upscale' },
      { expected: 200, init: { headers: auth }, path: '/v1/gallery?limit=1' },
      { expected: 400, init: { method: 'POST', body: manyParts, headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' } }, path: '/v1/features/upscale' },
      { expected: 401, init: { method: 'POST', body: oversize.subarray(0, maxBodyBytes - 1), headers: { 'content-type': 'application/json' } }, path: '/v1/features/upscale' },
      { expected: 413, init: { method: 'POST', body: huge, headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' } }, path: '/v1/features/upscale' },
      { expected: 413, init: { method: 'POST', body: streamed, headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' } }, path: '/v1/features/upscale' },
    ];
    const statuses: number[] = [];
    for (let iteration = 0; iteration < 126; iteration += 1) {
      const { expected, init, path } = kinds[iteration % kinds.length]!;
      const response = await send(path, typeof init.body === 'function' ? ({ ...init, body: init.body(), duplex: 'half' } as RequestInit) : (init as RequestInit));
      if (!response) continue;
      statuses.push(response.status);
      expect(response.status, `${iteration}: ${path}`).toBe(expected);
      if (expected >= 400) expect(((await response.json()) as any).error.code).toMatch(/^[a-z_]+$/);
      else await response.arrayBuffer();
    }
    expect(socketErrors).toEqual([]);
    expect(statuses).toHaveLength(126);
  }, 60_000);

  it('sends a 1 MB JSON upload on a socket that sat idle longer than node\'s old 5 s keep-alive, on the same socket', async () => {
    socketErrors.length = 0;
    const next = random(6);
    const noise = await sharp(Buffer.from(Array.from({ length: 440 * 440 * 3 }, () => Math.floor(next() * 256))), { raw: { width: 440, height: 440, channels: 3 } }).png().toBuffer();
    const body = JSON.stringify({ image: `data:image/png;base64,${noise.toString('base64')}` });
    expect(body.length).toBeGreaterThan(700_000);
    expect(body.length).toBeLessThan(maxBodyBytes);
    const first = await send('/health');
    expect(first?.headers.get('keep-alive')).toBe(`timeout=${listenerTimeouts.keepAliveTimeoutMs / 1000}`);
    await first?.arrayBuffer();
    const before = connections;
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const response = await send('/v1/features/upscale', { method: 'POST', body, headers: { authorization: `Bearer ${keys.ann}`, 'content-type': 'application/json' } });
    expect(socketErrors).toEqual([]);
    expect(response?.status).toBe(200);
    expect(connections).toBe(before);
  }, 30_000);
});

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { Agent, request as send } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './listen.js';
import { z } from 'zod';
import { coerceFormFields } from './coerce-form-fields.js';
import { multipartLimits, readMultipartForm } from './read-multipart-form.js';
import { fixtures, keys, startTestServer, type TestServer } from './testing/test-server.js';

const cases = join(fixtures, '../cases');
const dotnetType = 'multipart/form-data; boundary=dotnetBoundary42';
let png: Buffer;
let test: TestServer;

beforeAll(async () => {
  png = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#c04020' } }).png().toBuffer();
  test = await startTestServer({ server: { maxBodyBytes: 40 * 1024 * 1024 } });
});
afterAll(() => test.close());

type Part = { headers: string[]; body: string | Buffer };

/** A multipart body built by hand, so every byte of the framing is the test's choice. */
function multipart(parts: Part[], options: { boundary?: string; preamble?: string; epilogue?: string; close?: boolean } = {}): Buffer {
  const { boundary = 'b0undary', preamble = '', epilogue = '', close = true } = options;
  const eol = '\r\n';
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const part of parts) chunks.push(Buffer.from(`--${boundary}${eol}${part.headers.map((header) => header + eol).join('')}${eol}`), Buffer.from(part.body), Buffer.from(eol));
  if (close) chunks.push(Buffer.from(`--${boundary}--${eol}${epilogue}`));
  return Buffer.concat(chunks);
}

const image = (disposition: string, type = 'image/png'): Part => ({ headers: [`Content-Disposition: ${disposition}`, ...(type ? [`Content-Type: ${type}`] : [])], body: png });
const field = (name: string, value: string): Part => ({ headers: [`Content-Disposition: form-data; name="${name}"`], body: value });

/** Reads a form as a route with an `image` and a `mask` field does (object removal's). */
const readForm = (form: Request) => readMultipartForm(form, { imageFields: [{ name: 'image', list: false }, { name: 'mask', list: false }] });

function request(body: Buffer, boundary = 'b0undary'): Request {
  return new Request('http://localhost/v1/features/upscale', { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

const post = (body: Buffer, contentType = 'multipart/form-data; boundary=b0undary') => test.call('ann', 'POST', '/v1/features/upscale', body, { 'content-type': contentType });
const counts = async () => ({ gallery: (await test.engine.gallery.list('ann', { limit: 100 })).items.length, jobs: Object.values(await test.engine.jobs.counts()).reduce((sum, count) => sum + count, 0) });

describe('multipart forms from real clients', () => {
  it('answers 200 to the .NET MultipartFormDataContent fixture and to its quoted control', async () => {
    for (const name of ['multipart-dotnet-filename-star.bin', 'multipart-control-quoted-filename.bin']) {
      const response = await post(readFileSync(join(cases, name)), dotnetType);
      expect(response.status, name).toBe(200);
      expect((await response.json()).images[0]).toMatchObject({ width: 192, height: 192 });
    }
  });

  it.each([
    ['unquoted name and filename', 'form-data; name=image; filename=photo.png'],
    ['filename* only', "form-data; name=image; filename*=utf-8''photo.png"],
    ['filename* with percent-encoded UTF-8', "form-data; name=\"image\"; filename*=UTF-8''%E1%BA%A3nh%20%F0%9F%93%B7.png"],
    ['filename and filename* (the .NET shape)', "form-data; name=image; filename=photo.png; filename*=utf-8''%E1%BA%A3nh.png"],
    ['no filename but an image Content-Type', 'form-data; name=image'],
    ['upper-case parameter names and spaces', 'form-data ;  NAME = "image" ; FILENAME="a b.png"'],
  ])('reads %s as the image file', async (_label, disposition) => {
    const body = await readForm(request(multipart([image(disposition), field('scale', '2')])));
    expect(body).toEqual({ image: png, scale: '2' });
  });

  it.each([
    ['a preamble and an epilogue', { preamble: 'This is a multi-part message in MIME format.\r\n', epilogue: '\r\ntrailing words\r\n' }],
    ['CRLFs and boundary look-alikes inside a value', { tricky: true }],
    ['no CRLF after the closing boundary', { epilogue: '' }],
    ['a long boundary with RFC 2046 specials', { boundary: "'()+_,-./:=? " + 'x'.repeat(50) }],
  ] as const)('reads a form with %s', async (_label, options) => {
    const tricky = '\r\n\r\n--b0undar\r\n-- b0undary\r\n\r\n';
    let bytes = multipart([image('form-data; name="image"; filename="p.png"'), field('scale', '4'), field('prompt', 'tricky' in options ? tricky : 'p')], options);
    if (_label.startsWith('no CRLF')) bytes = bytes.subarray(0, bytes.byteLength - 2);
    const boundary = 'boundary' in options ? `"${options.boundary}"` : 'b0undary';
    expect(await readForm(request(bytes, boundary))).toEqual({ image: png, scale: '4', prompt: 'tricky' in options ? tricky : 'p' });
  });

  it('reads a list field\'s repeated file parts as a list in the order sent (one file too), up to 16 files', async () => {
    const other = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    const readList = (parts: Part[]) => readMultipartForm(request(multipart(parts)), { imageFields: [{ name: 'reference', list: false }, { name: 'extras', list: true }] });
    const extra = (body: Buffer) => ({ ...image('form-data; name=extras; filename=e.png'), body });
    expect(await readList([image('form-data; name=reference; filename=r.png'), extra(other), field('title', 't'), extra(png)])).toEqual({ reference: png, extras: [other, png], title: 't' });
    expect(await readList([extra(png)])).toEqual({ extras: [png] });
    await expect(readList([image('form-data; name=reference; filename=a.png'), image('form-data; name=reference; filename=b.png')])).rejects.toMatchObject({ message: 'The field "reference" was sent twice: it takes one image' });
    await expect(readList(Array.from({ length: multipartLimits.files + 1 }, () => extra(png)))).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/more than 16 files/) });
  });

  it('keeps a file without a type as bytes of unknown type, and text fields as the text sent', async () => {
    const body = await readForm(request(multipart([image('form-data; name=mask; filename=m', ''), field('prompt', 'a "quoted" 🙂 prompt'), field('options', '{"strength":0.5}'), field('flag', 'true')])));
    expect(body).toEqual({ mask: png, prompt: 'a "quoted" 🙂 prompt', options: '{"strength":0.5}', flag: 'true' });
  });

  it('types text fields as the route takes them: text stays text ("1984", "007"), numbers, booleans and JSON where the schema wants them', async () => {
    const schema = z.object({ prompt: z.string(), scale: z.number(), sharpen: z.boolean(), code: z.string(), options: z.object({ strength: z.number() }) });
    const typed = coerceFormFields(schema, { prompt: '1984', scale: '2', sharpen: 'true', code: '007', options: '{"strength":0.5}', extra: '3', image: png });
    expect(typed).toEqual({ prompt: '1984', scale: 2, sharpen: true, code: '007', options: { strength: 0.5 }, extra: 3, image: png });
    expect(coerceFormFields(undefined, { scale: '2', prompt: 'hi' })).toEqual({ scale: 2, prompt: 'hi' });
  });

  it('takes a prompt or a chat message that is only digits as text, over multipart, end to end', async () => {
    const form = (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.set(name, value);
      return body;
    };
    const generated = await test.call('ann', 'POST', '/v1/features/image-generation', form({ prompt: '1984', seed: '7' }));
    expect(generated.status).toBe(200);
    const session = await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json();
    const sent = await test.call('ann', 'POST', `/api/v1/chat/sessions/${session.session_id}/messages`, form({ content: '2' }));
    expect(sent.status).toBe(202);
  });

  it('refuses, with 4xx and a message that says what to change, and writes nothing', async () => {
    const before = await counts();
    const refusals: Array<[string, Buffer, number, RegExp, string?]> = [
      ['missing closing boundary', multipart([image('form-data; name=image; filename=p.png'), field('scale', '2')], { close: false }), 400, /ended before its closing boundary/],
      ['a body cut inside the file', multipart([image('form-data; name=image; filename=p.png')], { close: false }).subarray(0, 150), 400, /ended before its closing boundary/],
      ['bare LF line ends', Buffer.from(multipart([field('scale', '2')]).toString().replaceAll('\r\n', '\n')), 400, /lines ending in CRLF/],
      ['a file part without a name', multipart([image('form-data; filename="a.png"')]), 400, /A form part has no name.*name="…"/],
      ['a text part without a name', multipart([{ headers: ['Content-Disposition: form-data'], body: '2' }]), 400, /A form part has no name/],
      ['no image at all', multipart([field('scale', '2')]), 400, /expected an image: a file upload or raw bytes, a data URI.*at image/],
      ['a file in an unexpected field', multipart([image('form-data; name=avatar; filename=p.png')]), 400, /Unexpected file field "avatar": this route takes files in "image"/],
      ['the image twice', multipart([image('form-data; name=image; filename=a.png'), image('form-data; name=image; filename=b.png')]), 400, /sent twice/],
      ['a text field twice', multipart([image('form-data; name=image; filename=a.png'), field('scale', '2'), field('scale', '4')]), 400, /"scale" was sent twice: send each field once/],
      ['the image as a file, then as text', multipart([image('form-data; name=image; filename=a.png'), field('image', 'https://example.com/a.png')]), 400, /"image" was sent twice \(as a file and as text\)/],
      ['the image as text, then as a file', multipart([field('image', 'https://example.com/a.png'), image('form-data; name=image; filename=a.png')]), 400, /"image" was sent as text and as a file/],
      ['a field the feature does not take', multipart([image('form-data; name=image; filename=a.png'), field('scael', '2')]), 400, /upscale does not take "scael"; its fields are image, scale/],
      ['a file in an image field of another route', multipart([image('form-data; name=image; filename=a.png'), image('form-data; name=mask; filename=b.png')]), 400, /Unexpected file field "mask"/],
      ['too many fields', multipart(Array.from({ length: multipartLimits.fields + 1 }, (_, index) => field(`f${index}`, 'x'))), 400, /more than 32 text fields/],
      ['too many parts', multipart(Array.from({ length: multipartLimits.parts + 1 }, () => ({ headers: ['X-Nothing: 1'], body: '' }))), 400, /more than 34 parts/],
      ['a text field over 1 MiB', multipart([field('prompt', 'x'.repeat(multipartLimits.fieldSize + 1))]), 413, /longer than 1048576 bytes/, 'payload_too_large'],
      ['an empty body', Buffer.alloc(0), 400, /closing boundary|empty/],
    ];
    for (const [label, bytes, status, message, code = 'invalid_input'] of refusals) {
      const response = await post(bytes);
      expect(response.status, label).toBe(status);
      const { error } = await response.json();
      expect(error.code, label).toBe(code);
      expect(error.message, label).toMatch(message);
    }
    const noBoundary = await post(multipart([image('form-data; name=image; filename=p.png')]), 'multipart/form-data');
    expect(noBoundary.status).toBe(400);
    expect((await noBoundary.json()).error.message).toMatch(/no boundary/);
    expect(await counts()).toEqual(before);
  });
});

/** Sends the body from another process (so its writing costs this event loop nothing) and reports the status line and when it came. */
const floodClient = `
const { connect } = require('node:net');
const [port, key] = process.argv.slice(1);
const body = Buffer.from(Array.from({ length: 600000 }, (_, index) => '--b0undary\\r\\nContent-Disposition: form-data; name=f' + index + '\\r\\n\\r\\nxy\\r\\n').join('') + '--b0undary--\\r\\n');
const socket = connect(Number(port), '127.0.0.1', () => {
  const started = performance.now();
  socket.write('POST /v1/features/upscale HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer ' + key + '\\r\\nContent-Type: multipart/form-data; boundary=b0undary\\r\\nContent-Length: ' + body.length + '\\r\\n\\r\\n');
  socket.write(body, () => undefined);
  let answer = '';
  socket.on('data', (chunk) => {
    if (!answer) process.stdout.write(JSON.stringify({ bytes: body.length, ms: performance.now() - started }) + '\\n');
    answer += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  socket.on('close', () => process.stdout.write(JSON.stringify({ answer }) + '\\n'));
});
`;

describe('one JSON depth limit, however a value arrives', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const galleryCount = async () => (await (await test.call('ann', 'GET', '/v1/gallery?limit=200')).json()).items.length;

  it('refuses deep JSON in a multipart field like a deep JSON body (400), and keeps shallow JSON', async () => {
    const before = await galleryCount();
    for (const depth of [33, 100, 5_000]) {
      const body = multipart([image('form-data; name="image"; filename="a.png"'), field('metadata', nested(depth))]);
      const response = await test.call('ann', 'POST', '/v1/gallery', body, { 'content-type': 'multipart/form-data; boundary=b0undary' });
      expect(response.status, `depth ${depth}`).toBe(400);
      const { error } = await response.json();
      expect(error, `depth ${depth}`).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"metadata" is JSON nested deeper than 32 levels/) });
      const json = await test.call('ann', 'POST', '/v1/gallery', `{"image":{"base64":"${png.toString('base64')}"},"metadata":${nested(depth)}}`, { 'content-type': 'application/json' });
      expect(json.status, `JSON body, depth ${depth}`).toBe(400);
    }
    expect(await galleryCount()).toBe(before);
    const shallow = multipart([image('form-data; name="image"; filename="a.png"'), field('metadata', nested(30))]);
    expect((await test.call('ann', 'POST', '/v1/gallery', shallow, { 'content-type': 'multipart/form-data; boundary=b0undary' })).status).toBe(201);
  });

  it('says which image forms it takes when an image is missing or of no form, on features, the gallery and chat', async () => {
    const session = (await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id as string;
    const requests: Array<[string, Record<string, unknown>]> = [
      ['/v1/features/upscale', {}],
      ['/v1/features/upscale', { image: 5 }],
      ['/v1/features/upscale', { image: { asset_id: 'ast_x', base64: 'AAAA' } }],
      ['/v1/gallery', { image: 5 }],
      ['/v1/gallery', { image: [] }],
      [`/api/v1/chat/sessions/${session}/messages`, { content: 'upscale it', image: 5 }],
    ];
    for (const [path, body] of requests) {
      const response = await test.call('ann', 'POST', path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect((await response.json()).error.message, `${path} ${JSON.stringify(body)}`).toMatch(/expected an image: a file upload or raw bytes, a data URI .*\{ "asset_id": "\.\.\." \}/);
    }
  });

  it('a field named __proto__ is an ordinary (unknown) field, not the body object\'s prototype', async () => {
    const read = await readForm(request(multipart([image('form-data; name="image"; filename="a.png"'), field('__proto__', '{"scale":4}'), field('scale', '2')])));
    for (const form of [read, coerceFormFields(z.object({ scale: z.number() }), read)]) {
      expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
      expect(Object.keys(form).sort()).toEqual(['__proto__', 'image', 'scale']);
    }
    expect(coerceFormFields(z.object({ scale: z.number() }), read).scale).toBe(2);
  });

  it('refuses deep metadata given to the library directly, without overflowing the stack', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 10_000; level += 1) deep = { a: deep };
    await expect(test.engine.gallery.create('ann', { image: { base64: png.toString('base64') }, metadata: deep })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses metadata longer than 65,536 characters of JSON (it comes back in every gallery page), and keeps what fits', async () => {
    const image = { base64: png.toString('base64') };
    await expect(test.engine.gallery.create('ann', { image, metadata: { notes: 'x'.repeat(70_000) } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/at most 65536 characters/) });
    await expect(test.engine.gallery.create('ann', { image, metadata: { notes: 'x'.repeat(60_000) } })).resolves.toMatchObject({ metadata: { notes: expect.any(String) } });
  });
});

describe('a flood of tiny parts', () => {
  it('refuses a 35 MB body of 600,000 parts with a 400 at once, while /health keeps answering', async () => {
    const listener: Server = listen(test.server.app.fetch, { port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => listener.once('listening', resolve));
    const port = (listener.address() as { port: number }).port;
    const probes = new Agent({ connections: 1 });
    try {
      await (await send(`http://127.0.0.1:${port}/health`, { dispatcher: probes })).body.text();
      const client = spawn(process.execPath, ['-e', floodClient, String(port), keys.ann]);
      let output = '';
      client.stdout.on('data', (chunk) => (output += chunk));
      const exited = new Promise((resolve) => client.once('close', resolve));
      const latencies: number[] = [];
      while (client.exitCode === null) {
        const started = performance.now();
        await (await send(`http://127.0.0.1:${port}/health`, { dispatcher: probes })).body.text();
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await exited;
      const [first, last] = output.trim().split('\n').map((line) => JSON.parse(line));
      expect(first.bytes).toBeGreaterThan(35_000_000);
      expect(last.answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(last.answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(last.answer).toMatch(/more than 32 text fields/);
      expect(first.ms).toBeLessThan(1000);
      latencies.sort((a, b) => a - b);
      // Generous for a loaded 2-core machine (the flooding process competes for CPU); the runtime's own
      // FormData parser held the event loop for ~2.5 s on this body.
      expect(latencies.at(-1)).toBeLessThan(500);
    } finally {
      await probes.close();
      await new Promise((resolve) => listener.close(resolve));
    }
  }, 30_000);
});

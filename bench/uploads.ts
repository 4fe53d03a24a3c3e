// Uploads: a real photo sent as multipart to a direct feature route, against a bare write of the same
// bytes to disk, and against the old path (the form's file turned into base64 text, decoded back to
// bytes inside the engine), all in one process, interleaved round by round. Each request stores a
// distinct file (the photo with its own PNG comment chunk): the local storage skips bytes it already has.
// Request bodies are encoded before the clock starts, and carry a Content-Length as real clients' do (without
// one the body limit buffers the body first): the figures are the server's work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createEngine } from '@darkroom/core';
import { createInstantProvider, testPlugin } from '@darkroom/core/testing';
import { ApiKeyVerifier, createServer, parseApiKeys } from '@darkroom/server';
import { readMultipartForm } from '../packages/server/src/read-multipart-form.ts';
import { mean, percentile } from './measure.ts';

const rounds = Number(process.env.BENCH_UPLOADS ?? 30);
const key = 'bench-key-0123456789abcdef';

// The fixtures hold no photo of 1–4 MB: coffee.png (600×400, a real photo) enlarged 3× with Lanczos is one.
const source = readFileSync(join(import.meta.dirname, '../../shared/fixtures/images/coffee.png'));
const photo = await sharp(source).resize(1800, 1200, { kernel: 'lanczos3' }).png().toBuffer();

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** The photo with a `tEXt` chunk of its own after IHDR: the same pixels, different bytes. */
function variant(index: number): Buffer {
  const data = Buffer.from(`Comment\0upload ${index} ${Math.random()}`, 'latin1');
  const typed = Buffer.concat([Buffer.from('tEXt', 'latin1'), data]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  typed.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typed), 8 + data.length);
  const afterHeader = 8 + 25; // signature + IHDR (4 length + 4 type + 13 data + 4 CRC)
  return Buffer.concat([photo.subarray(0, afterHeader), chunk, photo.subarray(afterHeader)]);
}

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-uploads-'));
const bareDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-bare-'));
// Jobs queue but never run: the measure is the upload path, not the feature.
const engine = await createEngine({ dataDir, plugins: [testPlugin], providers: [createInstantProvider()], runner: { autoStart: false }, jobs: { maxQueuedPerUser: Infinity } });
const server = createServer({ engine, apiKeys: new ApiKeyVerifier(parseApiKeys(`bench:${key}`)), rateLimit: false });
const headers = { authorization: `Bearer ${key}`, prefer: 'respond-async' };

/** A multipart body of the photo as a browser would send it, encoded before the clock starts. */
async function multipartBody(bytes: Buffer): Promise<{ body: Uint8Array; type: string }> {
  const form = new FormData();
  form.set('image', new Blob([bytes], { type: 'image/png' }), 'photo.png');
  form.set('scale', '2');
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! };
}
const formRequest = ({ body, type }: { body: Uint8Array; type: string }) => new Request('http://localhost/v1/features/enlarge', { method: 'POST', body, headers: { 'content-type': type } });

/** The form as the old server handed it on: its file as `{ base64 }` text (the engine decodes it again). */
function asBase64(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, image: { base64: (body.image as Buffer).toString('base64') } };
}

/** Counts bytes ↔ base64 conversions while `task` runs. */
let base64Conversions = 0;
const toString = Buffer.prototype.toString;
const from = Buffer.from;
Buffer.prototype.toString = function (this: Buffer, ...args: unknown[]) {
  if (args[0] === 'base64') base64Conversions += 1;
  return toString.apply(this, args as Parameters<Buffer['toString']>);
} as Buffer['toString'];
Buffer.from = function (...args: unknown[]) {
  if (args[1] === 'base64') base64Conversions += 1;
  return (from as (...values: unknown[]) => Buffer)(...args);
} as typeof Buffer.from;

let next = 0;
type Prepared = { bytes: Buffer; form: { body: Uint8Array; type: string }; json: string };
const cases: Array<{ name: string; run: (input: Prepared) => Promise<unknown> }> = [
  { name: 'bare writeFile of the same bytes (baseline)', run: ({ bytes }) => writeFile(join(bareDir, `photo-${next}.png`), bytes) },
  {
    name: 'multipart route POST /v1/features/… (bytes stay bytes)',
    run: async ({ form }) => {
      const response = await server.app.request('/v1/features/enlarge', { method: 'POST', body: form.body, headers: { ...headers, 'content-type': form.type, 'content-length': String(form.body.byteLength) } });
      if (response.status !== 202) throw new Error(`the route answered ${response.status}: ${await response.text()}`);
    },
  },
  { name: 'multipart form read + engine.submit, bytes (new)', run: async ({ form }) => engine.submit('enlarge', await readMultipartForm(formRequest(form)), { userId: 'bench' }) },
  { name: 'multipart form read + engine.submit, via base64 (old)', run: async ({ form }) => engine.submit('enlarge', asBase64(await readMultipartForm(formRequest(form))), { userId: 'bench' }) },
  {
    name: 'JSON body with {base64} through the route (for reference)',
    run: async ({ json }) => {
      const response = await server.app.request('/v1/features/enlarge', { method: 'POST', body: json, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) } });
      if (response.status !== 202) throw new Error(`the route answered ${response.status}: ${await response.text()}`);
    },
  },
];

const samples = cases.map(() => [] as number[]);
const conversions = cases.map(() => 0);
for (let round = -3; round < rounds; round += 1) {
  for (const [index, { run }] of cases.entries()) {
    const bytes = variant((next += 1));
    const prepared = { bytes, form: await multipartBody(bytes), json: JSON.stringify({ image: { base64: toString.call(bytes, 'base64') }, scale: 2 }) };
    base64Conversions = 0;
    const started = performance.now();
    await run(prepared);
    const elapsed = performance.now() - started;
    if (round >= 0) {
      samples[index]!.push(elapsed);
      conversions[index] = base64Conversions;
    }
  }
}
Buffer.prototype.toString = toString;
Buffer.from = from;

// Ratios of medians: a loaded machine's stalls land in the means.
const baseline = percentile(samples[0]!, 50);
console.log(`\nUploads: a ${(photo.byteLength / 2 ** 20).toFixed(2)} MB PNG photo (coffee.png enlarged to 1800×1200), ${rounds} rounds interleaved, a distinct file each time; SQLite + local files`);
console.table(cases.map(({ name }, index) => ({
  case: name,
  'mean ms': mean(samples[index]!).toFixed(1),
  'p50 ms': percentile(samples[index]!, 50).toFixed(1),
  'p99 ms': percentile(samples[index]!, 99).toFixed(1),
  'base64 conversions': conversions[index],
  'p50 ratio vs bare write': index === 0 ? '1.00 (baseline)' : (percentile(samples[index]!, 50) / baseline).toFixed(2),
  goal: index === 1 ? `no base64: ${conversions[index] === 0 ? 'yes' : 'NO'}` : '',
})));
const [, , fresh, old] = samples.map((values) => percentile(values, 50));
console.log(`bytes path ÷ base64 path (same form read + submit, p50): ${(fresh! / old!).toFixed(2)}; beyond the bare write, the route reads the form, hashes the bytes (content addressing), checks the image header and writes the asset and job rows`);

await engine.close();
rmSync(dataDir, { recursive: true, force: true });
rmSync(bareDir, { recursive: true, force: true });

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../create-server.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { findPlaygroundFolder } from './playground-routes.js';

let folder: string;
let test: TestServer;
const script = `console.log("Xin chào");\n${'// padding past the compression threshold\n'.repeat(40)}`;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'darkroom-playground-'));
  mkdirSync(join(folder, 'assets'));
  writeFileSync(join(folder, 'index.html'), '<!doctype html><html><head><title>Playground</title><script type="module" src="./assets/index-AbC123.js"></script></head><body></body></html>');
  writeFileSync(join(folder, 'assets', 'index-AbC123.js'), script);
  writeFileSync(join(folder, 'assets', 'index-AbC123.css'), 'body{}');
  test = await startTestServer({ server: { playground: { folder } } });
});
afterAll(async () => {
  await test.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the playground at /', () => {
  it('answers the page to anyone (no key), revalidated on every load, with a <base href> of the root', async () => {
    const response = await test.call('nobody', 'GET', '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<head>\n    <base href="/">');
    expect(html).toContain('./assets/index-AbC123.js');
    const again = await test.call('nobody', 'GET', '/', undefined, { 'if-none-match': response.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('answers its hashed files to anyone as immutable, with their content types; an unknown file is a JSON 404', async () => {
    const js = await test.call('nobody', 'GET', '/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe(script);
    expect((await test.call('nobody', 'GET', '/assets/index-AbC123.css')).headers.get('content-type')).toMatch(/^text\/css/);
    const zipped = await test.call('nobody', 'GET', '/assets/index-AbC123.js', undefined, { 'accept-encoding': 'gzip' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(script);
    const missing = await test.call('nobody', 'GET', '/assets/nothing-here.js');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    expect((await test.call('nobody', 'GET', '/assets/..%2Findex.html')).status).toBe(404);
  });

  it('leaves the API behind its keys', async () => {
    expect((await test.call('nobody', 'GET', '/v1/gallery')).status).toBe(401);
  });
});

describe('under a base path', () => {
  it('writes the base path as the page\'s <base href> and serves its files under it (full URLs, or routed by a Hono host)', async () => {
    const server = createServer({ engine: test.engine, basePath: '/studio', playground: { folder } });
    const page = await server.fetch(new Request('http://localhost/studio/'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<base href="/studio/">');
    const file = await server.fetch(new Request('http://localhost/studio/assets/index-AbC123.js'));
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(script);

    const host = new Hono({ strict: false });
    host.get('/', (c) => c.text('the host app'));
    host.route('/studio', server.app);
    expect(await (await host.request('/')).text()).toBe('the host app');
    expect(await (await host.request('/studio/')).text()).toContain('<base href="/studio/">');
    const routed = await host.request('/studio/assets/index-AbC123.js');
    expect(routed.status).toBe(200);
    expect(await routed.text()).toBe(script);
    await server.close();
  });
});

describe('when the playground is not built', () => {
  it('answers / with a 404 page saying to run npm run build, never a 500', async () => {
    const server = createServer({ engine: test.engine, playground: { folder: join(folder, 'not-built') } });
    const response = await server.app.request('/');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('npm run build');
    expect((await server.app.request('/assets/index-AbC123.js')).status).toBe(404);
    await server.close();
  });

  it('is off with playground: false', async () => {
    const server = createServer({ engine: test.engine, playground: false });
    expect((await server.app.request('/')).status).toBe(404);
    await server.close();
  });

  it('finds the built files of the installed @darkroom/web by default', () => {
    expect(findPlaygroundFolder()).toBe(resolve(import.meta.dirname, '../../../web/dist'));
  });
});

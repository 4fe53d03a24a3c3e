import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPublicUrl } from './fetch-public-url.js';
import { isPublicAddress } from './is-public-address.js';
import { fetchImageBytes } from './resolve-image-urls.js';

const png = await readFile(new URL('../../../../../shared/fixtures/images/chelsea.png', import.meta.url));

let server: Server;
let port: number;
const seenLocalAddresses: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seenLocalAddresses.push(request.socket.localAddress ?? '');
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/image.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(png);
    } else if (url.pathname === '/redirect') {
      response.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      response.end();
    } else if (url.pathname === '/loop') {
      response.writeHead(302, { location: '/loop' });
      response.end();
    } else if (url.pathname === '/html') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end('<html>not an image</html>');
    } else if (url.pathname === '/endless') {
      response.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const timer = setInterval(() => response.write(chunk), 1);
      response.on('close', () => clearInterval(timer));
    } else if (url.pathname === '/slow') {
      // never answers
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Pretends 127.0.0.2 is a public address, so a loopback server can stand in for a public one. */
const standInPublic = (address: string) => address === '127.0.0.2' || isPublicAddress(address);
const resolveStandIn = async (hostname: string) => {
  if (hostname === 'images.example.test') return [{ address: '127.0.0.2', family: 4 }];
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw new Error('no such host');
};
const limits = { maxBytes: 1024 * 1024, timeoutMs: 3000, maxRedirects: 3 };

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const details = (error as { details?: { reason?: string }; code?: string }).details;
    return details?.reason ?? (error as { code: string }).code;
  }
  return 'fetched';
}

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.100.100.200',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', 'fe80::1', 'fc00::1',
    'fd00:ec2::254', '64:ff9b::7f00:1', '2002:7f00:1::', 'not-an-ip',
    // IPv4-compatible IPv6 (::/96, deprecated) and the rest outside global unicast 2000::/3.
    '::7f00:1', '::a9fe:a9fe', '::a00:1', '::c0a8:1', '::1:2', '100::1', '2001:db8::1', 'fec0::1', '4000::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('fetchPublicUrl refuses to reach our network', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:PORT/image.png'],
    ['loopback, other address', 'http://127.0.0.2:PORT/image.png'],
    ['10/8', 'http://10.0.0.1:PORT/image.png'],
    ['172.16/12', 'http://172.16.5.4:PORT/image.png'],
    ['192.168/16', 'http://192.168.0.1:PORT/image.png'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]:PORT/image.png'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:PORT/image.png'],
    ['IPv4-mapped IPv6, hex', 'http://[::ffff:7f00:1]:PORT/image.png'],
    ['IPv4-compatible IPv6 (loopback)', 'http://[::7f00:1]:PORT/image.png'],
    ['IPv4-compatible IPv6 (metadata)', 'http://[::a9fe:a9fe]/latest/meta-data/'],
    ['IPv4-compatible IPv6, dotted', 'http://[::127.0.0.1]:PORT/image.png'],
    ['decimal IPv4', 'http://2130706433:PORT/image.png'],
    ['octal IPv4', 'http://0177.0.0.1:PORT/image.png'],
    ['hex IPv4', 'http://0x7f.0.0.1:PORT/image.png'],
    ['short IPv4', 'http://127.1:PORT/image.png'],
    ['zero address', 'http://0.0.0.0:PORT/image.png'],
    ['a hostname resolving to 127.0.0.1', 'http://localhost:PORT/image.png'],
  ])('%s', async (_name, url) => {
    expect(await reason(fetchPublicUrl(url.replace('PORT', String(port)), limits))).toBe('address_not_allowed');
  });

  it.each([
    ['file', 'file:///etc/passwd', 'scheme_not_allowed'],
    ['gopher', 'gopher://127.0.0.1:70/', 'scheme_not_allowed'],
    ['ftp', 'ftp://example.com/a.png', 'scheme_not_allowed'],
    ['credentials', 'http://user:secret@example.com/a.png', 'credentials_in_url'],
    ['garbage', 'http://', 'invalid_url'],
  ])('%s URLs', async (_name, url, expected) => {
    expect(await reason(fetchPublicUrl(url, limits))).toBe(expected);
  });

  it('re-checks every redirect: a public-looking URL redirecting to a private one is refused', async () => {
    const options = { ...limits, isAllowedAddress: standInPublic, resolve: resolveStandIn };
    expect(await reason(fetchPublicUrl(`http://images.example.test:${port}/image.png`, options))).toBe('fetched');
    for (const target of [`http://127.0.0.1:${port}/image.png`, `http://localhost:${port}/image.png`, `http://[::1]:${port}/image.png`, 'http://169.254.169.254/latest/meta-data/']) {
      const url = `http://images.example.test:${port}/redirect?to=${encodeURIComponent(target)}`;
      expect(await reason(fetchPublicUrl(url, options))).toBe('address_not_allowed');
    }
    expect(await reason(fetchPublicUrl(`http://images.example.test:${port}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`, options))).toBe('scheme_not_allowed');
    expect(await reason(fetchPublicUrl(`http://images.example.test:${port}/loop`, options))).toBe('too_many_redirects');
  });

  it('checks the address it connects to (DNS rebinding): the answer checked is the answer used', async () => {
    let calls = 0;
    const rebinding = async () => [{ address: calls++ === 0 ? '127.0.0.2' : '127.0.0.1', family: 4 }];
    const options = { ...limits, isAllowedAddress: standInPublic, resolve: rebinding };
    seenLocalAddresses.length = 0;
    expect(await reason(fetchPublicUrl(`http://rebind.example.test:${port}/image.png`, options))).toBe('fetched');
    expect(seenLocalAddresses).toEqual(['127.0.0.2']);
    expect(await reason(fetchPublicUrl(`http://rebind.example.test:${port}/image.png`, options))).toBe('address_not_allowed');
    expect(seenLocalAddresses).toEqual(['127.0.0.2']);
  });

  it('a hostname with one private address among public ones is refused', async () => {
    const mixed = async () => [{ address: '127.0.0.2', family: 4 }, { address: '10.0.0.1', family: 4 }];
    expect(await reason(fetchPublicUrl(`http://mixed.example.test:${port}/image.png`, { ...limits, isAllowedAddress: standInPublic, resolve: mixed }))).toBe('address_not_allowed');
  });

  it('caps size and time', async () => {
    const options = { ...limits, isAllowedAddress: standInPublic, resolve: resolveStandIn };
    expect(await reason(fetchPublicUrl(`http://images.example.test:${port}/endless`, options))).toBe('payload_too_large');
    expect(await reason(fetchPublicUrl(`http://images.example.test:${port}/image.png`, { ...options, maxBytes: 1000 }))).toBe('payload_too_large');
    const started = Date.now();
    expect(await reason(fetchPublicUrl(`http://images.example.test:${port}/slow`, { ...options, timeoutMs: 300 }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('fetchImageBytes sniffs the bytes: a non-image is refused whatever its content type says', async () => {
    const policy = { ...limits, maxImages: 2, isAllowedAddress: standInPublic, resolve: resolveStandIn };
    const image = await fetchImageBytes(`http://images.example.test:${port}/image.png`, policy);
    expect(image.mimeType).toBe('image/png');
    expect(Buffer.from(image.bytes).equals(png)).toBe(true);
    expect(await reason(fetchImageBytes(`http://images.example.test:${port}/html`, policy))).toBe('not_an_image');
    expect(await reason(fetchImageBytes(`http://images.example.test:${port}/missing`, policy))).toBe('http_status');
  });
});

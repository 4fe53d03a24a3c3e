import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { DarkroomError } from '@darkroom/core';
import { isPublicAddress } from './is-public-address.js';

export interface PublicFetchOptions {
  /** Largest response body; bigger answers are cut off and refused. */
  maxBytes: number;
  /** The whole exchange, redirects included. */
  timeoutMs: number;
  maxRedirects?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Which resolved addresses may be contacted; public unicast only unless a test says otherwise. */
  isAllowedAddress?: (address: string) => boolean;
  /** DNS resolution (a test seam); Node's resolver by default. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface PublicFetchResult {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Uint8Array;
  /** The URL finally answered, after redirects. */
  url: string;
}

const refused = (message: string, reason: string) => new DarkroomError({ code: 'invalid_input', message, details: { reason } });

const systemResolve = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** A parsed http(s) URL without credentials; WHATWG parsing already turns 2130706433 and 0177.0.0.1 into 127.0.0.1. */
function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('The URL is not valid', 'invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(`Only http and https URLs are fetched, not ${url.protocol}`, 'scheme_not_allowed');
  if (url.username || url.password) throw refused('URLs with credentials are not fetched', 'credentials_in_url');
  return url;
}

/**
 * Checks, before anything is stored, that a URL a user gave us may be contacted later: http(s), no
 * credentials, an IP literal that is public, or a host name that does not resolve to a non-public
 * address. A name that cannot be resolved now is let through (a DNS outage must not refuse work):
 * the address is checked again, in the socket's own lookup, whenever the URL is contacted.
 *
 * @returns the parsed URL.
 * @throws DarkroomError `invalid_input` (400) with `details.reason` `invalid_url`, `scheme_not_allowed`,
 *   `credentials_in_url` or `address_not_allowed`.
 */
export async function checkPublicUrl(raw: string, options: Pick<PublicFetchOptions, 'isAllowedAddress' | 'resolve'> = {}): Promise<URL> {
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  const url = parseTarget(raw);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname)) {
    if (!allowed(hostname)) throw refused(`The URL points to a non-public address (${hostname})`, 'address_not_allowed');
    return url;
  }
  const addresses = await (options.resolve ?? systemResolve)(hostname).catch(() => []);
  const blocked = addresses.find((entry) => !allowed(entry.address));
  if (blocked) throw refused(`${hostname} resolves to a non-public address (${blocked.address})`, 'address_not_allowed');
  return url;
}

/**
 * Fetches a URL a user gave us without letting them reach our network. The address is checked in the
 * socket's own DNS lookup, so the address checked is the address connected to (no DNS rebinding);
 * IP literals are checked before connecting; every redirect goes through the same checks; size and
 * time are capped.
 */
export async function fetchPublicUrl(raw: string, options: PublicFetchOptions): Promise<PublicFetchResult> {
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  const resolve = options.resolve ?? systemResolve;
  const deadline = Date.now() + options.timeoutMs;
  let url = parseTarget(raw);
  let method = options.method ?? 'GET';
  let body = options.body;
  for (let redirects = 0; ; redirects += 1) {
    const result = await requestOnce(url, { ...options, method, body, allowed, resolve, deadline });
    const location = result.headers.location;
    if (result.status >= 300 && result.status < 400 && location) {
      if (redirects >= (options.maxRedirects ?? 3)) throw refused(`More than ${options.maxRedirects ?? 3} redirects`, 'too_many_redirects');
      url = parseTarget(new URL(location, url).toString());
      if (result.status === 303 || ((result.status === 301 || result.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    return { ...result, url: url.toString() };
  }
}

interface OnceOptions extends PublicFetchOptions {
  method: 'GET' | 'POST';
  allowed: (address: string) => boolean;
  resolve: (hostname: string) => Promise<LookupAddress[]>;
  deadline: number;
}

function requestOnce(url: URL, options: OnceOptions): Promise<Omit<PublicFetchResult, 'url'>> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname) && !options.allowed(hostname)) {
    return Promise.reject(refused(`The URL points to a non-public address (${hostname})`, 'address_not_allowed'));
  }
  const checkedLookup: LookupFunction = (name, lookupOptions, callback) => {
    options.resolve(name).then(
      (addresses) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
        const candidates = addresses.filter((entry) => family === undefined || entry.family === family);
        const blocked = candidates.find((entry) => !options.allowed(entry.address));
        if (blocked || candidates.length === 0) {
          callback(refused(blocked ? `${name} resolves to a non-public address (${blocked.address})` : `${name} does not resolve: check the URL's host name`, blocked ? 'address_not_allowed' : 'dns_failed') as unknown as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (lookupOptions.all) (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, candidates);
        else callback(null, candidates[0]!.address, candidates[0]!.family);
      },
      () => callback(refused(`${name} could not be resolved`, 'dns_failed') as unknown as NodeJS.ErrnoException, '', 4),
    );
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolvePromise, reject) => {
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      reject(refused('Fetching the URL took too long', 'timeout'));
      return;
    }
    const request = client.request(
      url,
      {
        method: options.method,
        agent: false,
        lookup: checkedLookup,
        headers: { 'user-agent': 'darkroom/0.1 (+image fetch)', accept: 'image/*', ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) },
      },
      (response) => {
        const declared = Number(response.headers['content-length'] ?? NaN);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          response.destroy();
          reject(new DarkroomError({ code: 'payload_too_large', message: `The URL answers ${declared} bytes; the limit is ${options.maxBytes}`, details: { maxBytes: options.maxBytes } }));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > options.maxBytes) {
            response.destroy();
            reject(new DarkroomError({ code: 'payload_too_large', message: `The URL answers more than ${options.maxBytes} bytes`, details: { maxBytes: options.maxBytes } }));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, headers: response.headers, bytes: new Uint8Array(Buffer.concat(chunks)) }));
        response.on('error', () => reject(refused('The connection broke while reading the URL', 'connection_failed')));
      },
    );
    const timer = setTimeout(() => request.destroy(refused('Fetching the URL took too long', 'timeout')), remaining);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (cause) => reject(DarkroomError.isInstance(cause) ? cause : refused(`The URL could not be reached: ${(cause as NodeJS.ErrnoException).code ?? 'connection failed'}`, 'connection_failed')));
    if (options.body !== undefined) request.end(options.body);
    else request.end();
  });
}

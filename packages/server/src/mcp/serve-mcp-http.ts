import type { Server as HttpServer } from 'node:http';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { listen } from '../listen.js';
import type { Studio, StudioFeature } from '../commands/studio.js';
import { createMcpServer } from './create-mcp-server.js';

/**
 * Serves the MCP server of `features` on `studio` over streamable HTTP (stateless: a server and
 * transport per request, as the SDK's examples do) at `http://<hostname>:<port>/mcp`, and the images
 * it names at `/v1/assets/<asset id>`, so the URLs in its results open. Requests whose Host header is
 * not this address are refused (DNS rebinding). Resolves with the listener and its base URL once it
 * listens; rejects when it cannot listen (port in use).
 */
export async function serveMcpHttp(options: { studio: Studio; features: StudioFeature[]; port: number; hostname: string }): Promise<{ listener: HttpServer; url: string }> {
  const { studio, features } = options;
  let base = '';
  let allowedHosts: string[] = [];
  const app = new Hono();
  app.all('/mcp', async (c) => {
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: true, allowedHosts });
    const server = createMcpServer({ studio, features, assetUrl: (url) => (url.startsWith('/') ? `${base}${url}` : url) });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
  app.get('/v1/assets/:id', async (c) => {
    if (!allowedHosts.includes(c.req.header('host') ?? '')) return c.text('Host not allowed', 403);
    try {
      const { bytes, mimeType } = await studio.asset(c.req.param('id'));
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': mimeType, 'cache-control': 'private, max-age=31536000, immutable' });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return c.json({ error: { code: code === 'not_found' ? 'not_found' : 'internal', message: code === 'not_found' ? (error as Error).message : 'Internal error' } }, code === 'not_found' ? 404 : 500);
    }
  });
  return new Promise((resolve, reject) => {
    const listener = listen(app.fetch, { port: options.port, hostname: options.hostname }, (info) => {
      const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
      allowedHosts = [`${host}:${info.port}`, ...(options.hostname === '127.0.0.1' || options.hostname === '::1' ? [`localhost:${info.port}`] : [])];
      base = `http://${host}:${info.port}`;
      resolve({ listener, url: `${base}/mcp` });
    });
    listener.once('error', reject);
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { startDarkroomProcess } from '../testing/darkroom-process.js';
import { fixtures } from '../testing/test-server.js';

// `darkroom mcp` as an MCP client starts it: a process from source, on the embedded engine under a
// temporary data directory, driven by the SDK's own client over stdio and over streamable HTTP.
const work = mkdtempSync(join(tmpdir(), 'darkroom-mcp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = join(import.meta.dirname, '../cli.ts');
const features = ['generate', 'upscale', 'remove-background', 'relight', 'style-transfer', 'reimagine', 'expand', 'object-removal', 'enhance'];

describe('darkroom mcp over stdio', () => {
  it('lists the features as tools, runs one on a fixture photo with progress, answers bad input as a tool error, and exits when the client closes', { timeout: 120_000 }, async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--conditions=darkroom-source', '--import', import.meta.resolve('tsx'), cli, 'mcp'],
      env: { PATH: process.env.PATH!, HOME: work, DARKROOM_DATA_DIR: join(work, 'stdio') },
      cwd: work,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'darkroom-e2e', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(features);
      expect(tools.find((tool) => tool.name === 'expand')!.inputSchema.properties).toHaveProperty('image');

      const progress: number[] = [];
      const result = (await client.callTool({ name: 'upscale', arguments: { image: join(fixtures, 'coffee.png'), scale: 2 } }, undefined, { onprogress: (update) => progress.push(update.progress) })) as CallToolResult;
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
      const image = result.content.find((part) => part.type === 'image')!;
      const source = await sharp(join(fixtures, 'coffee.png')).metadata();
      const made = await sharp(Buffer.from(image.data, 'base64')).metadata();
      expect([image.mimeType, made.format, made.width, made.height]).toEqual(['image/png', 'png', source.width! * 2, source.height! * 2]);
      expect(result.content.filter((part) => part.type === 'text').map((part) => part.text).join('\n')).toMatch(/asset id ast_\w+ .*gallery id img_\w+; url \/v1\/assets\/ast_\w+/);
      expect(progress.length).toBeGreaterThan(0);

      const bad = (await client.callTool({ name: 'upscale', arguments: { image: join(fixtures, 'coffee.png'), scale: 8 } })) as CallToolResult;
      expect(bad.isError).toBe(true);
      expect(bad.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^invalid_input: .*scale must be 2 or 4/) });
      expect(stderr).toMatch(/darkroom mcp: stdio \(9 tools, embedded engine/);
    } finally {
      await client.close();
    }
    // Closing stdin stops it (the engine closed, exit 0).
    await expect.poll(() => isRunning(pid), { timeout: 10_000 }).toBe(false);
  });
});

describe('darkroom mcp --http', () => {
  it('serves streamable HTTP on a free port: tools, a call whose image URL opens, refusal of a non-loopback host; SIGTERM stops it', { timeout: 120_000 }, async () => {
    const refused = startDarkroomProcess('mcp', ['mcp', '--http', '--host', '0.0.0.0'], { DARKROOM_DATA_DIR: join(work, 'http') }, { cwd: work });
    expect((await refused.exited).code).toBe(1);
    expect(refused.output().stderr).toMatch(/^Error \(invalid_input\): --host 0\.0\.0\.0 is not loopback/);

    const server = startDarkroomProcess('mcp', ['mcp', '--http', '--port', '0'], { DARKROOM_DATA_DIR: join(work, 'http') }, { cwd: work });
    try {
      await expect.poll(() => /streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.test(server.output().stderr), { timeout: 30_000 }).toBe(true);
      const url = /streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(server.output().stderr)![1]!;
      const client = new Client({ name: 'darkroom-e2e', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(features);
        const progress: number[] = [];
        const result = (await client.callTool({ name: 'enhance', arguments: { image: join(fixtures, 'chelsea.png'), format: 'jpeg' } }, undefined, { onprogress: (update) => progress.push(update.progress) })) as CallToolResult;
        expect(result.isError, JSON.stringify(result)).toBeFalsy();
        const image = result.content.find((part) => part.type === 'image')!;
        expect(image.mimeType).toBe('image/jpeg');
        expect(progress.length).toBeGreaterThan(0);
        const link = /url (http:\/\/127\.0\.0\.1:\d+\/v1\/assets\/ast_\w+)/.exec(result.content.filter((part) => part.type === 'text').map((part) => part.text).join('\n'))?.[1];
        expect(link).toBeDefined();
        const served = await fetch(link!);
        expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
        expect(Buffer.from(await served.arrayBuffer()).toString('base64')).toBe(image.data);
        expect((await fetch(new URL('/v1/assets/ast_nope', url))).status).toBe(404);

        const bad = (await client.callTool({ name: 'relight', arguments: { image: 'ast_0000000000000000000000000000' } })) as CallToolResult;
        expect(bad).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/^not_found: /) }] });
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
    expect((await server.exited).code).toBe(0);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

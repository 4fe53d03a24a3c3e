import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@darkroom/core';
import { collageFeature } from '@darkroom/core/testing';
import { EmbeddedStudio } from '../commands/open-embedded-studio.js';
import { createDefaultEngine } from '../create-default-engine.js';
import { createGatedProvider, sketchPlugin } from '../testing/gated-provider.js';
import { chelseaDataUri, fixtures } from '../testing/test-server.js';
import { createMcpServer } from './create-mcp-server.js';

const gated = createGatedProvider();
const engine = await createDefaultEngine({ runner: { pollMs: 20 }, plugins: [sketchPlugin, definePlugin({ name: 'collage-plugin', features: [collageFeature] })], providers: [gated.provider] });
const studio = new EmbeddedStudio(engine, 'test engine', () => engine.close());
const client = new Client({ name: 'darkroom-test', version: '1.0.0' });

beforeAll(async () => {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer({ studio, features: await studio.features() }).connect(serverSide);
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  await studio.close();
});

const texts = (result: CallToolResult) => result.content.filter((part) => part.type === 'text').map((part) => part.text);

describe('darkroom MCP server (SDK client, in-memory transport)', () => {
  it('lists every feature, plugins included, as a tool whose input schema is the feature\'s', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['generate', 'upscale', 'remove-background', 'relight', 'style-transfer', 'reimagine', 'expand', 'object-removal', 'enhance', 'sketch']));
    const upscale = tools.find((tool) => tool.name === 'upscale')!;
    expect(upscale.description).toMatch(/Upscale/);
    expect(upscale.inputSchema.required).toEqual(['image']);
    expect(upscale.inputSchema.properties).toMatchObject({
      image: { type: 'string', description: expect.stringMatching(/file path.*URL.*asset id/) },
      sharpen: { type: 'boolean', default: false },
      format: { enum: ['png', 'jpeg'] },
    });
    expect(JSON.stringify(upscale.inputSchema.properties!.scale)).toMatch(/2.*4/);
    expect(tools.find((tool) => tool.name === 'sketch')!.inputSchema).toMatchObject({ properties: { prompt: { type: 'string', maxLength: 200 } }, required: ['prompt'] });
  });

  it('runs a feature on a fixture photo given by path, answering the image (PNG, base64) and its asset id, gallery id and URL', async () => {
    const result = (await client.callTool({ name: 'upscale', arguments: { image: join(fixtures, 'chelsea.png'), scale: 2 } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    const image = result.content.find((part) => part.type === 'image')!;
    expect(image.mimeType).toBe('image/png');
    const { width, height, format } = await sharp(Buffer.from(image.data, 'base64')).metadata();
    expect([format, width, height]).toEqual(['png', 902, 600]);
    const [described, summary] = texts(result);
    const assetId = /asset id (ast_\w+)/.exec(described!)![1]!;
    expect(described).toMatch(/902×600 image\/png; asset id ast_\w+ .*gallery id img_\w+; url \/v1\/assets\/ast_\w+/);
    expect(summary).toMatch(/upscale ran on local/);
    // The asset id goes into another tool, as the text says.
    const again = (await client.callTool({ name: 'enhance', arguments: { image: assetId, format: 'jpeg' } })) as CallToolResult;
    expect(again.isError, JSON.stringify(again)).toBeFalsy();
    expect(again.content.find((part) => part.type === 'image')).toMatchObject({ mimeType: 'image/jpeg' });
    const gallery = await engine.gallery.list('local');
    expect(gallery.items.map((item) => item.feature)).toEqual(expect.arrayContaining(['upscale', 'enhance']));
  });

  it('takes file paths, URLs, asset ids and data URIs in any image field, a list field as an array of them', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'collage')!.inputSchema).toMatchObject({ required: ['reference'], properties: { reference: { type: 'string' }, extras: { type: 'array', items: { type: 'string' } } } });
    const result = (await client.callTool({ name: 'collage', arguments: { reference: join(fixtures, 'coffee.png'), extras: [chelseaDataUri, join(fixtures, 'coffee.png')] } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    const jobId = /job (job_\w+)/.exec(texts(result).at(-1)!)![1]!;
    expect((await engine.jobs.get('local', jobId)).result).toMatchObject({ metadata: { loaded: ['600x400', '451x300', '600x400'] } });
    const refused = (await client.callTool({ name: 'collage', arguments: { reference: join(fixtures, 'coffee.png'), extras: join(fixtures, 'coffee.png') } })) as CallToolResult;
    expect(refused).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/^invalid_input: extras: expected an array of strings/) }] });
  });

  it('takes a data URI too', async () => {
    const result = (await client.callTool({ name: 'enhance', arguments: { image: chelseaDataUri } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.content.find((part) => part.type === 'image')).toMatchObject({ mimeType: 'image/png' });
  });

  it('reports progress to a client that sends a progress token, and answers the result once the job ends', async () => {
    const heard: Array<{ progress: number; total?: number; message?: string }> = [];
    const call = client.callTool({ name: 'sketch', arguments: { prompt: 'a boat' } }, undefined, { onprogress: (progress) => heard.push(progress) });
    await gated.started();
    // The step's start (0, naming the step), then the feature's own report, before the provider answers.
    await expect.poll(() => heard.some((entry) => entry.progress > 0)).toBe(true);
    gated.open();
    expect(heard[0]).toMatchObject({ progress: 0, total: 100, message: 'run:sketch' });
    expect(heard.find((entry) => entry.progress > 0)!.progress).toBeLessThan(100);
    const result = (await call) as CallToolResult;
    gated.reset();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.content.find((part) => part.type === 'image')).toMatchObject({ mimeType: 'image/png' });
    expect(heard.map((entry) => entry.progress)).toEqual([...heard.map((entry) => entry.progress)].sort((a, b) => a - b));
  });

  it('cancels the job when the client cancels its request', async () => {
    const controller = new AbortController();
    const call = client.callTool({ name: 'sketch', arguments: { prompt: 'a slow boat' } }, undefined, { signal: controller.signal });
    await gated.started();
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => gated.calls.aborted, { timeout: 5_000 }).toBe(1);
    gated.reset();
  });

  it('answers bad input as tool errors with the code and what to change', async () => {
    const bad = async (name: string, args: Record<string, unknown>) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError).toBe(true);
      return texts(result).join('\n');
    };
    expect(await bad('upscale', { image: join(fixtures, 'chelsea.png'), scale: 3 })).toMatch(/^invalid_input: .*scale must be 2 or 4/);
    expect(await bad('upscale', { image: join(fixtures, 'no-such-photo.png') })).toMatch(/^invalid_input: image: names no file .*no-such-photo\.png.*give a file path, an http\(s\) URL, an asset id/);
    expect(await bad('upscale', { image: join(fixtures, 'chelsea.png'), zoom: 2 })).toMatch(/^invalid_input: upscale has no argument zoom; its arguments: image, scale, sharpen/);
    expect(await bad('upscale', {})).toMatch(/^invalid_input: .*image/);
    expect(await bad('upscale', { image: 'ast_0000000000000000000000000000' })).toMatch(/^not_found: /);
    expect(await bad('upscale', { image: join(fixtures, 'README.md') })).toMatch(/^(invalid_image|unsupported_media_type): /);
    // URLs are fetched as the server fetches them: public addresses only.
    expect(await bad('upscale', { image: 'http://127.0.0.1:9/photo.png' })).toMatch(/^invalid_input: .*non-public address/);
    expect(await bad('upscal', {})).toMatch(/^not_found: No tool "upscal"; tools: generate, upscale/);
  });
});

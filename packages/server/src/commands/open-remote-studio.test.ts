import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@darkroom/core';
import { collageFeature } from '@darkroom/core/testing';
import { listen } from '../listen.js';
import { createMcpServer } from '../mcp/create-mcp-server.js';
import { createGatedProvider, sketchPlugin } from '../testing/gated-provider.js';
import { fixtures, keys, startTestServer } from '../testing/test-server.js';
import { openRemoteStudio, RemoteStudio } from './open-remote-studio.js';

// The remote Studio over the real client and the real server on a loopback port: what
// `darkroom … --url` and `darkroom mcp --url` drive.
const gated = createGatedProvider();
const test = await startTestServer({ engine: { plugins: [sketchPlugin, definePlugin({ name: 'collage-plugin', features: [collageFeature] })], providers: [gated.provider] }, server: { basePath: '/studio', imageUrls: { maxImages: 3 } } });
const listener = listen(test.server.fetch, { port: 0, hostname: '127.0.0.1' });
await once(listener, 'listening');
const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
const base = `${origin}/studio`;
const studio = (await openRemoteStudio({ baseUrl: base, apiKey: keys.ann })) as RemoteStudio;
afterAll(async () => {
  listener.close();
  await test.close();
});

describe('the remote Studio (@darkroom/client against the server)', () => {
  it('lists the server\'s features with image fields as file/URL/asset-id strings and no webhook field', async () => {
    const features = await studio.features();
    expect(features.map((feature) => feature.id)).toEqual(expect.arrayContaining(['upscale', 'generate', 'sketch']));
    const upscale = features.find((feature) => feature.id === 'upscale')!;
    expect(upscale.image_fields).toEqual(['image']);
    expect(upscale.input_schema.properties!.image).toEqual({ type: 'string', description: expect.stringMatching(/file path, an http\(s\) URL, an asset id/) });
    expect(upscale.input_schema.properties).not.toHaveProperty('webhook_url');
    expect(upscale.input_schema.required).toEqual(['image']);
  });

  it('runs a feature on an uploaded file with progress, and reads the image back by its absolute URL\'s asset id', async () => {
    const progress: number[] = [];
    const result = await studio.run('upscale', { image: { path: join(fixtures, 'chelsea.png') }, scale: 2 }, { onProgress: (update) => progress.push(update.progress) });
    expect(result).toMatchObject({ job_id: expect.stringMatching(/^job_/), feature: 'upscale', provider: 'local', images: [{ width: 902, height: 600 }] });
    expect(studio.assetUrl(result.images[0]!.url)).toBe(`${base}/v1/assets/${result.images[0]!.asset_id}`);
    const { bytes, mimeType } = await studio.asset(result.images[0]!.asset_id);
    expect(mimeType).toBe('image/png');
    expect((await sharp(bytes).metadata()).width).toBe(902);
    expect(progress.at(-1) ?? 100).toBeLessThanOrEqual(100);
  });

  it('uploads files for any image field, a list field\'s one by one, as the CLI parsed them', async () => {
    const coffee = { path: join(fixtures, 'coffee.png') };
    const result = await studio.run('collage', { reference: { path: join(fixtures, 'chelsea.png') }, extras: [coffee, { bytes: new Uint8Array(await sharp({ create: { width: 5, height: 6, channels: 3, background: '#000' } }).png().toBuffer()) }] });
    expect(result.metadata).toMatchObject({ loaded: ['451x300', '600x400', '5x6'] });
  });

  it('cancels the job on the server when the call is aborted', async () => {
    const controller = new AbortController();
    const running = studio.run('sketch', { prompt: 'a slow boat' }, { signal: controller.signal });
    await gated.started();
    controller.abort();
    const error = (await running.catch((caught: unknown) => caught)) as Error & { code: string; details: { job_id: string } };
    gated.reset();
    expect(error.code).toBe('cancelled');
    expect((await studio.jobs.get(error.details.job_id)).state).toBe('cancelled');
  });

  it('chats (a new session, then the same one), and lists, deletes and restores gallery images and jobs', async () => {
    // Generating goes to the gated provider here: let it answer.
    gated.open();
    const first = await studio.chat({ content: 'create a sunset over mountains' });
    expect(first.message).toMatchObject({ status: 'DONE', images: [{ feature: 'generate' }] });
    const next = await studio.chat({ content: 'upscale it 2x', session: first.session_id });
    expect(next).toMatchObject({ session_id: first.session_id, message: { status: 'DONE', images: [{ feature: 'upscale', width: 2048 }] } });
    const made = next.message.images![0]!.gallery_id;
    expect((await studio.gallery.list()).items.map((item) => item.id)).toContain(made);
    await studio.gallery.delete(made);
    expect((await studio.gallery.list({ deleted: true })).items.map((item) => item.id)).toContain(made);
    expect((await studio.gallery.restore(made)).id).toBe(made);
    const jobs = await studio.jobs.list({ limit: 2 });
    expect(jobs.items.map((job) => [job.kind, job.state])).toEqual([['chat', 'succeeded'], ['chat', 'succeeded']]);
    expect(jobs.next_cursor).not.toBeNull();
    gated.reset();
  });

  it('refuses a --url that is not http(s), and carries the server\'s errors (code, message)', async () => {
    await expect(openRemoteStudio({ baseUrl: 'localhost:9999' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/is not an http\(s\) URL/) });
    await expect(studio.run('upscale', { image: { path: join(fixtures, 'chelsea.png') }, scale: 3 })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/scale must be 2 or 4/) });
    await expect(studio.gallery.restore('img_nope')).rejects.toMatchObject({ code: 'not_found' });
    const stranger = await openRemoteStudio({ baseUrl: base, apiKey: 'nobody-key-0123456789' });
    await expect(stranger.gallery.list()).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('darkroom mcp --url: MCP tools on a server', () => {
  const client = new Client({ name: 'darkroom-test', version: '1.0.0' });
  beforeAll(async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer({ studio, features: await studio.features() }).connect(serverSide);
    await client.connect(clientSide);
  });
  afterAll(() => client.close());

  it('uploads a local file for a tool call and answers the image with the server\'s URL', async () => {
    const result = (await client.callTool({ name: 'enhance', arguments: { image: join(fixtures, 'coffee.png'), format: 'jpeg' } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.content[0]).toMatchObject({ type: 'image', mimeType: 'image/jpeg' });
    expect(result.content[1]).toMatchObject({ type: 'text', text: expect.stringContaining(`url ${base}/v1/assets/ast_`) });
  });
});

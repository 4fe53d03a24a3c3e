import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDarkroomClient } from '@darkroom/client';
import { createEngine } from '@darkroom/core';
import generate from '@darkroom/plugin-generate';
import upscale from '@darkroom/plugin-upscale';
import { createLocalProvider } from '@darkroom/provider-local';
import { createServer, listen } from '@darkroom/server';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { clientTour } from './client-tour.js';

it('drives a real server over HTTP: a job with progress, a chat turn, the gallery, files written', async () => {
  const outputDir = mkdtempSync(join(tmpdir(), 'darkroom-client-example-'));
  const engine = await createEngine({ plugins: [generate, upscale], providers: [createLocalProvider()] });
  const server = createServer({ engine });
  const listener = listen(server.app.fetch, { port: 0, hostname: '127.0.0.1' });
  try {
    await new Promise<void>((resolve) => (listener.listening ? resolve() : listener.once('listening', () => resolve())));
    const client = createDarkroomClient({ baseUrl: `http://127.0.0.1:${(listener.address() as AddressInfo).port}` });
    const lines: string[] = [];
    const { files, reply } = await clientTour(client, join(import.meta.dirname, '../../../docs/photos/chelsea.png'), outputDir, (line) => lines.push(line));
    expect(reply.status).toBe('DONE');
    expect(lines).toContain('upscaled to 902×600');
    expect(lines.some((line) => /^upscale \d+%$/.test(line))).toBe(true);
    expect(files.map((file) => file.slice(outputDir.length + 1))).toEqual(['upscaled.png', 'lighthouse.png']);
    expect(await sharp(readFileSync(files[0]!)).metadata()).toMatchObject({ width: 902, height: 600 });
    expect(await sharp(readFileSync(files[1]!)).metadata()).toMatchObject({ width: 2048, height: 2048 });
  } finally {
    listener.close();
    await server.close();
    await engine.close();
    rmSync(outputDir, { recursive: true, force: true });
  }
});

import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../server/src/listen.js';
import { keys, startTestServer, type TestServer } from '../../server/src/testing/test-server.js';
import { createDarkroomClient, type Job } from './index.js';

const photoPath = join(import.meta.dirname, '../../../docs/photos/chelsea.png');
let test: TestServer;
let http: Server;
let baseUrl: string;

// The same client with Node's own fetch over a real socket: multipart bodies, streamed SSE and
// connection handling as a deployed server sees them (create-darkroom-client.test.ts covers every method).
beforeAll(async () => {
  test = await startTestServer({ server: { basePath: '/studio', heartbeatMs: 50 } });
  const port = await new Promise<number>((resolve) => {
    http = listen(test.server.fetch, { port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  baseUrl = `http://127.0.0.1:${port}/studio`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await test.close();
});

describe('@darkroom/client over HTTP', () => {
  it('uploads a file, waits for a job with progress from the event stream, and downloads the result', async () => {
    const client = createDarkroomClient({ baseUrl, apiKey: keys.ann });
    const accepted = await client.features.submit('upscale', { image: { path: photoPath }, scale: 2 });
    expect(accepted.status_url).toBe(`/studio/v1/jobs/${accepted.job_id}`);
    const seen: Job[] = [];
    const job = await client.jobs.wait(accepted.job_id, { onProgress: (each) => seen.push(each) });
    expect(job.state).toBe('succeeded');
    expect(seen.length).toBeGreaterThan(0);
    const image = (job.result as { images: Array<{ asset_id: string; width: number }> }).images[0]!;
    expect(image.width).toBe(902);
    const { bytes, mimeType } = await client.assets.get(image.asset_id);
    expect(mimeType).toBe('image/png');
    expect(bytes.byteLength).toBeGreaterThan(1000);
    const signed = await client.assets.signedUrl(image.asset_id);
    expect((await fetch(signed.url)).status).toBe(200);
  });

  it('sends a chat message with a photo and gets the reply', async () => {
    const client = createDarkroomClient({ baseUrl, apiKey: keys.ann });
    const session = await client.sessions.create();
    const reply = await client.sessions.sendAndWait(session.id, { text: 'enhance this photo', image: new Blob([await (await import('node:fs/promises')).readFile(photoPath)]) });
    expect(reply).toMatchObject({ status: 'DONE', role: 'assistant' });
    expect((await fetch(client.absoluteUrl(reply.image_url!), { headers: { authorization: `Bearer ${keys.ann}` } })).status).toBe(200);
  });

  it('ends a session stream quietly when its signal aborts', async () => {
    const client = createDarkroomClient({ baseUrl, apiKey: keys.ann });
    const session = await client.sessions.create();
    const abort = new AbortController();
    const events: string[] = [];
    const reading = (async () => {
      for await (const event of client.sessions.events(session.id, { signal: abort.signal })) events.push(event.event);
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    await reading;
    expect(events[0]).toBe('snapshot');
  });
});

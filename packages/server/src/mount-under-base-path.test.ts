import { DarkroomError } from '@darkroom/core';
import { Hono } from 'hono';
import { mount } from 'hono/mount';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyVerifier, parseApiKeys } from './auth/api-keys.js';
import { createDefaultEngine } from './create-default-engine.js';
import { createServer } from './create-server.js';
import { listen } from './listen.js';
import { chelseaDataUri, keys, startTestServer, type TestServer } from './testing/test-server.js';

const auth = { authorization: `Bearer ${keys.ann}` };
/** A JSON answer, as the loosely typed value a test inspects. */
const read = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { ...auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A host app with routes of its own (at paths the Darkroom server also has), and Darkroom under /studio. */
function hostApp(darkroomApp: Hono<any>): Hono {
  const host = new Hono({ strict: false });
  host.get('/', (c) => c.text('host home'));
  host.get('/health', (c) => c.text('host health'));
  host.get('/v1/jobs/:id', (c) => c.json({ host: true, id: c.req.param('id') }));
  host.route('/studio', darkroomApp);
  return host;
}

async function finishedJob(request: (path: string, init?: RequestInit) => Promise<Response>, statusUrl: string): Promise<Record<string, any>> {
  for (let tries = 0; tries < 600; tries += 1) {
    const job: Record<string, any> = await read(request(statusUrl, { headers: auth }));
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${statusUrl} did not finish`);
}

describe('a server mounted under basePath /studio in a host Hono app (host.route)', () => {
  let test: TestServer;
  let host: Hono;
  const call = (path: string, init?: RequestInit) => Promise.resolve(host.request(path, init));

  beforeAll(async () => {
    test = await startTestServer({ server: { basePath: '/studio' } });
    host = hostApp(test.server.app);
  });
  afterAll(() => test.close());

  it('answers public routes under the prefix without a key, and protected ones only with one', async () => {
    for (const path of ['/studio/health', '/studio/ready', '/studio/openapi.json', '/studio/docs', '/studio/docs/', '/studio/docs/init.js', '/studio/docs/swagger-ui.css', '/studio/metrics', '/studio/health/']) {
      expect((await call(path)).status, path).toBe(200);
    }
    for (const path of ['/studio/v1/gallery', '/studio/v1/gallery/deleted', '/studio/api/images/models']) {
      const refused = await call(path);
      expect(refused.status, path).toBe(401);
      expect((await read(refused)).error.code).toBe('unauthorized');
      expect((await call(path, { headers: auth })).status, path).toBe(200);
    }
  });

  it('leaves the host app\'s own routes alone, even at paths the server also has', async () => {
    expect(await (await call('/')).text()).toBe('host home');
    expect(await (await call('/health')).text()).toBe('host health');
    expect(await read(call('/v1/jobs/job_1'))).toEqual({ host: true, id: 'job_1' });
    expect((await call('/openapi.json')).status).toBe(404);
    expect((await call('/studiox/health')).status).toBe(404);
  });

  it('documents the prefix: OpenAPI servers, Swagger UI\'s files and the document it loads', async () => {
    const document = await read(call('/studio/openapi.json'));
    expect(document.servers).toEqual([{ url: '/studio' }]);
    expect(document.paths['/v1/jobs/{id}']).toBeDefined();
    const page = await (await call('/studio/docs')).text();
    expect(page).toContain('href="/studio/docs/swagger-ui.css"');
    expect(page).toContain('src="/studio/docs/swagger-ui-bundle.js"');
    expect(page).toContain('src="/studio/docs/init.js"');
    expect(page).not.toMatch(/(href|src)="\/docs\//);
    expect(await (await call('/studio/docs/init.js')).text()).toContain("url: '/studio/openapi.json'");
  });

  it('writes status_url, events_url, Location and image URLs under the prefix, and they answer there', async () => {
    const accepted = await call('/studio/v1/features/upscale', json({ image: chelseaDataUri, scale: 2 }, { prefer: 'respond-async' }));
    expect(accepted.status).toBe(202);
    const body = await read(accepted);
    expect(body).toMatchObject({ status_url: `/studio/v1/jobs/${body.job_id}`, events_url: `/studio/v1/jobs/${body.job_id}/events` });
    expect(accepted.headers.get('location')).toBe(`/studio/v1/jobs/${body.job_id}`);

    const job = await finishedJob(call, accepted.headers.get('location')!);
    expect(job.state).toBe('succeeded');
    const image = job.result.images[0];
    expect(image.url).toBe(`/studio/v1/assets/${image.asset_id}`);
    const bytes = await call(image.url, { headers: auth });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toMatch(/^image\//);

    const events = await call(body.events_url, { headers: auth });
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await events.text()).toContain(`"url":"/studio/v1/assets/${image.asset_id}"`);

    const gallery = await read(call('/studio/v1/gallery', { headers: auth }));
    expect(gallery.items.length).toBeGreaterThan(0);
    for (const item of gallery.items) expect(item.image_url).toBe(`/studio/v1/assets/${item.asset_id}`);
  });

  it('answers a synchronous feature call and the seeds\' generate route with prefixed image URLs', async () => {
    const result = await read(call('/studio/v1/features/upscale', json({ image: chelseaDataUri, scale: 2 })));
    expect(result.image_url).toBe(`/studio/v1/assets/${result.images[0].asset_id}`);
    const generated = await call('/studio/api/images/generate', json({ prompt: 'a red kite', size: '64x64' }));
    expect(generated.status).toBe(200);
    const image = await read(generated);
    expect(image.image_url).toMatch(/^\/studio\/v1\/assets\/ast_/);
    expect(image.image_path).toBe(image.image_url);
    expect(image.images[0].url).toBe(image.image_url);
  });

  it('hands out signed image URLs under the prefix that download without a key', async () => {
    const item = await read(call('/studio/v1/gallery', json({ image: chelseaDataUri })));
    expect(item.image_url).toBe(`/studio/v1/assets/${item.asset_id}`);
    const signed = await call(`/studio/v1/assets/${item.asset_id}/signed-url`, json({ expires_in: 60 }));
    expect(signed.status).toBe(201);
    const { url } = await read(signed);
    expect(url).toMatch(new RegExp(`^/studio/v1/assets/${item.asset_id}\\?token=`));
    const image = await call(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await call(`/studio/v1/assets/${item.asset_id}`)).status).toBe(401);
    expect((await call(url.replace('token=', 'token=x'))).status).toBe(401);
  });

  it('points a chat message\'s Location and image URLs under the prefix', async () => {
    const session = await read(call('/studio/api/v1/chat/sessions', json({ title: 'mounted' })));
    const sent = await call(`/studio/api/v1/chat/sessions/${session.session_id}/messages`, json({ content: 'create a 64x64 red kite' }));
    expect(sent.status).toBe(202);
    const location = sent.headers.get('location')!;
    expect(location).toMatch(/^\/studio\/api\/v1\/chat\/sessions\/[^/]+\/messages\/[^/]+$/);
    let message: Record<string, any> = {};
    for (let tries = 0; tries < 600 && message.status !== 'DONE' && message.status !== 'FAILED'; tries += 1) {
      message = await read(call(location, { headers: auth }));
      if (message.status === 'PROCESSING') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(message.status).toBe('DONE');
    expect(message.image_url).toMatch(/^\/studio\/v1\/assets\/ast_/);
    expect((await call(message.image_url, { headers: auth })).status).toBe(200);
  });
});

describe('user text that looks like an image URL, under basePath /studio', () => {
  let test: TestServer;
  let host: Hono;
  const call = (path: string, init?: RequestInit) => Promise.resolve(host.request(path, init));
  const look = '/v1/assets/not-an-image';

  /** The events of a stream that stays open (a session's) until `enough` of them came, then the stream is closed. */
  async function readEvents(path: string, enough: (events: Array<{ event: string; data: any }>) => boolean): Promise<Array<{ event: string; data: any }>> {
    const response = await call(path, { headers: auth });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const events: Array<{ event: string; data: any }> = [];
    try {
      while (!enough(events)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const lines = block.split('\n');
          const data = lines.find((line) => line.startsWith('data: '));
          if (data) events.push({ event: lines.find((line) => line.startsWith('event: '))!.slice(7), data: JSON.parse(data.slice(6)) });
        }
      }
    } finally {
      await reader.cancel();
    }
    return events;
  }
  const firstEvent = async (path: string) => (await readEvents(path, (events) => events.length > 0))[0]!;

  beforeAll(async () => {
    test = await startTestServer({ server: { basePath: '/studio' } });
    host = hostApp(test.server.app);
  });
  afterAll(() => test.close());

  it('answers a session title as it was written', async () => {
    const session = await read(call('/studio/api/v1/chat/sessions', json({ title: look })));
    expect(session.title).toBe(look);
    expect((await read(call(`/studio/api/v1/chat/sessions/${session.id}`, { headers: auth }))).title).toBe(look);
  });

  it('answers a gallery item\'s prompt, intent and metadata as written, and only its image_url under the prefix', async () => {
    const metadata = { link: '/v1/assets/abc', url: '/v1/assets/def', image_url: '/v1/assets/ghi', images: [{ url: '/v1/assets/jkl' }] };
    const written = { refined_prompt: '/v1/assets/my-prompt', intent: '/v1/assets/intent', metadata: { ...metadata, source: 'direct' } };
    const item = await read(call('/studio/v1/gallery', json({ image: chelseaDataUri, refined_prompt: written.refined_prompt, intent: written.intent, metadata })));
    expect(item).toMatchObject({ ...written, image_url: `/studio/v1/assets/${item.asset_id}` });
    expect(await read(call(`/studio/v1/gallery/${item.id}`, { headers: auth }))).toMatchObject({ ...written, image_url: item.image_url });
    const listed = (await read(call('/studio/v1/gallery', { headers: auth }))).items.find((entry: { id: string }) => entry.id === item.id);
    expect(listed).toMatchObject({ ...written, image_url: item.image_url });
    expect((await call(`/studio/v1/gallery/${item.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const deleted = (await read(call('/studio/v1/gallery/deleted', { headers: auth }))).items.find((entry: { id: string }) => entry.id === item.id);
    expect(deleted).toMatchObject({ ...written, image_url: item.image_url });
    expect(await read(call(`/studio/v1/gallery/${item.id}/restore`, json({})))).toMatchObject({ ...written, image_url: item.image_url });
  });

  it('answers chat content, prompts and plans as written in messages, jobs and event streams', async () => {
    const session = await read(call('/studio/api/v1/chat/sessions', json({ title: 'kites' })));
    const messages = `/studio/api/v1/chat/sessions/${session.id}/messages`;
    const sent = await read(call(messages, json({ content: look })));
    const job = await finishedJob(call, `/studio/v1/jobs/${sent.job_id}`);
    expect(['succeeded', 'failed']).toContain(job.state);
    const user = await read(call(`${messages}/${sent.user_message_id}`, { headers: auth }));
    expect(user.content).toBe(look);
    const page = await read(call(`${messages}?order=asc`, { headers: auth }));
    expect(page.messages.find((entry: { id: string }) => entry.id === sent.user_message_id).content).toBe(look);
    const snapshot = await firstEvent(`/studio/api/v1/chat/sessions/${session.id}/events`);
    expect(snapshot.event).toBe('snapshot');
    expect(snapshot.data.messages.find((entry: { id: string }) => entry.id === sent.user_message_id).content).toBe(look);

    // A turn that makes an image: its prompts are the user's, its image URLs the server's.
    const made = await read(call(messages, json({ content: `create a 64x64 image of ${look}` })));
    const turn = await finishedJob(call, `/studio/v1/jobs/${made.job_id}`);
    expect(turn.state).toBe('succeeded');
    const [image] = turn.result.images;
    expect(image.url).toBe(`/studio/v1/assets/${image.asset_id}`);
    expect(JSON.stringify(turn.result.plan)).not.toContain('/studio/');
    expect(JSON.stringify(turn.result.plan)).toContain(look);
    const events = await (await call(`/studio/v1/jobs/${made.job_id}/events`, { headers: auth })).text();
    expect(events).toContain(`"url":"/studio/v1/assets/${image.asset_id}"`);
    expect(events).not.toContain(`/studio${look}`);
    const assistant = await read(call(`${messages}/${made.message_id}`, { headers: auth }));
    expect(assistant.image_url).toBe(image.url);
    expect(assistant.images[0].url).toBe(image.url);

    // The session's stream: its snapshot, and the turns' events it keeps for Last-Event-ID.
    const stream = `/studio/api/v1/chat/sessions/${session.id}/events`;
    const latest = await firstEvent(stream);
    const told = latest.data.messages.find((entry: { id: string }) => entry.id === made.message_id);
    expect(told).toMatchObject({ image_url: image.url, images: [{ url: image.url }] });
    expect(latest.data.messages.find((entry: { id: string }) => entry.id === sent.user_message_id).content).toBe(look);
    const kept = await readEvents(`${stream}?last_event_id=0`, (events) => events.some((entry) => entry.event === 'job.succeeded' && entry.data.job_id === made.job_id));
    const succeeded = kept.find((entry) => entry.event === 'job.succeeded' && entry.data.job_id === made.job_id)!;
    expect(succeeded.data.result.images[0].url).toBe(image.url);
    expect(succeeded.data.result.plan).toEqual(turn.result.plan);
  });
});

describe('the other ways to mount a server with basePath /studio', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer({ server: { basePath: '/studio' } });
  });
  afterAll(() => test.close());

  it('darkroom.fetch answers full URLs under the prefix only, for hosts that pass requests as they came', async () => {
    const fetch = (path: string, init?: RequestInit) => Promise.resolve(test.server.fetch(new Request(`http://localhost${path}`, init)));
    expect((await fetch('/studio/health')).status).toBe(200);
    expect((await fetch('/studio/health/')).status).toBe(200);
    expect((await fetch('/studio/v1/gallery')).status).toBe(401);
    expect((await fetch('/studio/v1/gallery', { headers: auth })).status).toBe(200);
    const outside = await fetch('/health');
    expect(outside.status).toBe(404);
    expect((await read(outside)).error.code).toBe('not_found');
    const accepted = await fetch('/studio/v1/features/upscale', json({ image: chelseaDataUri, scale: 2 }, { prefer: 'respond-async' }));
    expect(accepted.headers.get('location')).toMatch(/^\/studio\/v1\/jobs\/job_/);
    expect((await finishedJob(fetch, accepted.headers.get('location')!)).state).toBe('succeeded');
  });

  it('darkroom.fetch serves the CLI\'s listener under the prefix', async () => {
    const listener = await new Promise<ReturnType<typeof listen>>((resolve) => {
      const server = listen(test.server.fetch, { port: 0, hostname: '127.0.0.1' }, () => resolve(server));
    });
    try {
      const { port } = listener.address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/studio/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/studio/v1/gallery`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('darkroom.app.fetch behind Hono\'s mount(), which strips the prefix, keeps auth and writes prefixed URLs', async () => {
    const host = new Hono();
    host.get('/health', (c) => c.text('host health'));
    host.all('/studio/*', mount(test.server.app.fetch));
    expect((await host.request('/studio/health')).status).toBe(200);
    expect(await (await host.request('/health')).text()).toBe('host health');
    expect((await host.request('/studio/v1/gallery')).status).toBe(401);
    expect((await host.request('/studio/v1/gallery', { headers: auth })).status).toBe(200);
    expect((await read(host.request('/studio/openapi.json'))).servers).toEqual([{ url: '/studio' }]);
    const item = await read(host.request('/studio/v1/gallery', json({ image: chelseaDataUri })));
    const { url } = await read(host.request(`/studio/v1/assets/${item.asset_id}/signed-url`, json({})));
    expect(url).toMatch(/^\/studio\/v1\/assets\//);
    expect((await host.request(url)).status).toBe(200);
  });

  it('counts no public request against the rate limit under the prefix', async () => {
    const engine = await createDefaultEngine();
    const server = createServer({ engine, basePath: '/studio', apiKeys: new ApiKeyVerifier(parseApiKeys(`ann:${keys.ann}`)), rateLimit: { limit: 2, windowSeconds: 60 } });
    try {
      const host = hostApp(server.app);
      for (let index = 0; index < 5; index += 1) expect((await host.request('/studio/health', { headers: auth })).status).toBe(200);
      expect((await host.request('/studio/v1/gallery', { headers: auth })).status).toBe(200);
      expect((await host.request('/studio/v1/gallery', { headers: auth })).status).toBe(200);
      expect((await host.request('/studio/v1/gallery', { headers: auth })).status).toBe(429);
    } finally {
      await server.close();
      await engine.close();
    }
  });
});

describe('without basePath', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer();
  });
  afterAll(() => test.close());

  it('changes nothing: routes, URLs, documents and fetch stay at the root', async () => {
    expect(test.server.basePath).toBe('');
    expect(test.server.fetch).toBe(test.server.app.fetch);
    expect((await read(test.call('nobody', 'GET', '/openapi.json'))).servers).toEqual([{ url: '/' }]);
    const page = await (await test.call('nobody', 'GET', '/docs')).text();
    expect(page).toContain('href="/docs/swagger-ui.css"');
    expect(await (await test.call('nobody', 'GET', '/docs/init.js')).text()).toContain("url: '/openapi.json'");
    const accepted = await test.call('ann', 'POST', '/v1/features/upscale', { image: chelseaDataUri, scale: 2 }, { prefer: 'respond-async' });
    const body = await read(accepted);
    expect(accepted.headers.get('location')).toBe(`/v1/jobs/${body.job_id}`);
    expect(body).toMatchObject({ status_url: `/v1/jobs/${body.job_id}`, events_url: `/v1/jobs/${body.job_id}/events` });
    const job = await finishedJob((path, init) => Promise.resolve(test.server.app.request(path, init)), body.status_url);
    expect(job.result.images[0].url).toBe(`/v1/assets/${job.result.images[0].asset_id}`);
    const { url } = await read(test.call('ann', 'POST', `/v1/assets/${job.result.images[0].asset_id}/signed-url`, {}));
    expect(url).toMatch(/^\/v1\/assets\/ast_[^/?]+\?token=/);
    expect((await test.call('ann', 'GET', '/studio/health')).status).toBe(404);
  });

  it('"/" is the root too', async () => {
    const server = createServer({ engine: test.engine, basePath: '/' });
    try {
      expect(server.basePath).toBe('');
      expect((await server.app.request('/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('an invalid basePath', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer();
  });
  afterAll(() => test.close());

  it('is refused by createServer with a configuration error that says what to write', () => {
    const cases: Array<[string, RegExp]> = [
      ['studio', /basePath "studio" must start with "\/": write "\/studio"/],
      ['/studio/', /must not end with "\/": write "\/studio"/],
      ['/apps/../studio', /must not contain a "\." or "\.\." segment: write "\/apps\/studio"/],
      ['/studio?tenant=1', /without a query or fragment: write "\/studio"/],
      ['/studio#top', /without a query or fragment: write "\/studio"/],
      ['//studio', /empty segment/],
      ['/my studio', /segment "my studio": use letters, digits/],
      ['/:tenant', /segment ":tenant"/],
      // Surrounding whitespace is refused (DARKROOM_BASE_PATH is trimmed before it gets here), naming the fix.
      [' /studio', /basePath " \/studio" must not start or end with whitespace: write "\/studio"/],
      ['/studio ', /must not start or end with whitespace: write "\/studio"/],
      // Only a value that is itself valid is suggested.
      ['\\studio', /must start with "\/": a base path is "\/" followed by "\/"-separated segments/],
      ['https://x/studio', /must be a path, not a URL: write "\/studio"/],
    ];
    for (const [basePath, message] of cases) {
      let error: unknown;
      try {
        createServer({ engine: test.engine, basePath });
      } catch (thrown) {
        error = thrown;
      }
      expect(DarkroomError.isInstance(error), basePath).toBe(true);
      expect((error as DarkroomError).code, basePath).toBe('configuration');
      expect((error as DarkroomError).message, basePath).toMatch(message);
    }
  });
});

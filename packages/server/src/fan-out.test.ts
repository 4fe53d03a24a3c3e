import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForMessage, type TestServer } from './testing/test-server.js';

/** Issue 10, point 2: one chat message must not fan out into unbounded, uncounted work. */
let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

async function send(server: TestServer, content: string) {
  const { session_id: session } = await (await server.call('ann', 'POST', '/api/v1/chat/sessions', {})).json();
  const response = await server.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content });
  return { session: session as string, response };
}

describe('steps per chat turn', () => {
  it('answers the 4,000-character "create a cat and upscale it and …" with a clarifying reply: no images, no gallery rows, fast', async () => {
    const started = performance.now();
    const { session, response } = await send(test, 'create a cat and upscale it and '.repeat(125).trim());
    expect(response.status).toBe(202);
    const reply = await waitForMessage(test, 'ann', session, (await response.json()).message_id);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(reply).toMatchObject({ status: 'DONE', content: expect.stringMatching(/asks for 250 steps \(generate ×125, upscale ×125\); I run at most 4 steps per message\. Please split/) });
    expect(reply.intents).toHaveLength(250);
    expect(reply.image_url ?? null).toBeNull();
    expect(reply.images ?? []).toEqual([]);
    expect((await (await test.call('ann', 'GET', '/v1/gallery')).json()).items).toEqual([]);
  });

  it('runs a message of exactly the cap, all four steps', async () => {
    const { session, response } = await send(test, 'create a small cat 64x64, then upscale it 2x, then upscale it 2x, then upscale it 2x');
    const reply = await waitForMessage(test, 'ann', session, (await response.json()).message_id);
    expect(reply.status).toBe('DONE');
    expect(reply.images.map((image: { feature: string }) => image.feature)).toEqual(['generate', 'upscale', 'upscale', 'upscale']);
  });
});

describe('the rate limit counts work', () => {
  it('charges a chat message its steps before anything runs; a turn costing more than is left gets 429 and writes nothing', async () => {
    const limited = await startTestServer({ server: { rateLimit: { limit: 5, windowSeconds: 60 } } });
    try {
      const { session, response } = await send(limited, 'create a small cat 64x64, then upscale it 2x, then upscale it 2x');
      expect(response.status).toBe(202);
      expect(response.headers.get('ratelimit-remaining')).toBe('1'); // 1 for the session + 3 steps
      await limited.engine.jobs.wait('ann', (await response.json()).job_id); // polling would cost units too
      const refused = await limited.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'create a dog, then upscale it' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await refused.json()).error).toMatchObject({ code: 'rate_limited', details: { cost: 2, limit: 5 } });
      expect((await limited.call('bob', 'GET', '/v1/gallery')).status).toBe(200);
      expect((await limited.engine.chat.history('ann', session)).messages).toHaveLength(2); // ann's budget is spent: read the engine
      expect((await limited.engine.gallery.list('ann')).items).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it('charges a feature call one unit per image it asks for', async () => {
    const limited = await startTestServer({ server: { rateLimit: { limit: 3, windowSeconds: 60 } } });
    try {
      const tooMany = await limited.call('ann', 'POST', '/v1/features/image-generation', { prompt: 'a kite', width: 64, height: 64, num_images: 4 });
      expect(tooMany.status).toBe(429);
      expect((await tooMany.json()).error.message).toMatch(/costs 4 units .*ask for less/);
      const two = await limited.call('ann', 'POST', '/v1/features/image-generation', { prompt: 'a kite', width: 64, height: 64, num_images: 2 });
      expect(two.status).toBe(200);
      expect(two.headers.get('ratelimit-remaining')).toBe('0');
      expect((await limited.call('ann', 'GET', '/v1/gallery')).status).toBe(429);
      expect((await limited.engine.gallery.list('ann')).items).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});

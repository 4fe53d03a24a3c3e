import { mkdtempSync, rmSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chelseaDataUri, startTestServer, type TestServer } from '../testing/test-server.js';
import { createWebhookSecret } from './sign-webhook.js';

const secret = createWebhookSecret();
let receiver: Server;
let receiverUrl = '';
const deliveries: Array<{ headers: Record<string, string>; body: string; status: number }> = [];
let answers: number[] = [];
let test: TestServer;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = answers.shift() ?? 200;
      deliveries.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/darkroom`;
  // The receiver is on loopback, so this test lets exactly that address through the SSRF policy.
  test = await startTestServer({ server: { webhooks: { secret, retryDelaysMs: [50, 100], pollMs: 25, isAllowedAddress: (address) => address === '127.0.0.1' } } });
});

afterAll(async () => {
  await test.close();
  receiver.close();
});

async function until(condition: () => boolean) {
  for (let tries = 0; tries < 400 && !condition(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('per-job webhooks', () => {
  it('POSTs the finished job, signed with the Standard Webhooks scheme, retrying until the receiver accepts', async () => {
    deliveries.length = 0;
    answers = [500, 503, 200];
    const accepted = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri, webhook_url: receiverUrl }, { prefer: 'respond-async' })).json();
    await until(() => deliveries.some((delivery) => delivery.status === 200));
    expect(deliveries.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
    const verifier = new Webhook(secret);
    for (const delivery of deliveries) {
      const payload = verifier.verify(delivery.body, delivery.headers) as { type: string; data: { id: string; state: string; result: { images: unknown[] } } };
      expect(payload.type).toBe('job.succeeded');
      expect(payload.data).toMatchObject({ id: accepted.job_id, state: 'succeeded' });
      expect(payload.data.result.images).toHaveLength(1);
    }
    expect(new Set(deliveries.map((delivery) => delivery.headers['webhook-id'])).size).toBe(1);
    expect(() => new Webhook(createWebhookSecret()).verify(deliveries[0]!.body, deliveries[0]!.headers)).toThrow();
    expect(() => verifier.verify(deliveries[0]!.body.replace('succeeded', 'failed'), deliveries[0]!.headers)).toThrow();
  });

  it('tells about failed jobs too, and works for chat turns', async () => {
    deliveries.length = 0;
    answers = [];
    const failed = await test.call('ann', 'POST', '/v1/features/reimagine', { image: chelseaDataUri, prompt: 'watercolor', webhook_url: receiverUrl }, { prefer: 'respond-async' });
    expect(failed.status).toBe(202);
    const session = (await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
    const sent = await (await test.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'enhance this photo', image: chelseaDataUri, webhook_url: receiverUrl })).json();
    await until(() => deliveries.length >= 2);
    const payloads = deliveries.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { id: string } });
    expect(payloads.find((payload) => payload.data.id === sent.job_id)?.type).toBe('job.succeeded');
    expect(payloads.find((payload) => payload.data.id !== sent.job_id)?.type).toBe('job.failed');
  });

  it('writes image URLs in payloads under the server\'s basePath', async () => {
    deliveries.length = 0;
    answers = [];
    const mounted = await startTestServer({ server: { basePath: '/studio', webhooks: { secret, pollMs: 25, isAllowedAddress: (address) => address === '127.0.0.1' } } });
    try {
      const accepted = (await (await mounted.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri, webhook_url: receiverUrl }, { prefer: 'respond-async' })).json()) as { job_id: string };
      await until(() => deliveries.length === 1);
      const payload = new Webhook(secret).verify(deliveries[0]!.body, deliveries[0]!.headers) as { data: { id: string; result: { images: Array<{ asset_id: string; url: string }> } } };
      expect(payload.data.id).toBe(accepted.job_id);
      const [image] = payload.data.result.images;
      expect(image!.url).toBe(`/studio/v1/assets/${image!.asset_id}`);

      // A chat turn: its images under the prefix, the user's prompt in its plan as written.
      const session = (await (await mounted.call('ann', 'POST', '/api/v1/chat/sessions', { title: '/v1/assets/not-an-image' })).json()) as { session_id: string; title: string };
      expect(session.title).toBe('/v1/assets/not-an-image');
      const sent = (await (await mounted.call('ann', 'POST', `/api/v1/chat/sessions/${session.session_id}/messages`, { content: 'draw /v1/assets/kite', webhook_url: receiverUrl })).json()) as { job_id: string };
      await until(() => deliveries.length === 2);
      const turn = new Webhook(secret).verify(deliveries[1]!.body, deliveries[1]!.headers) as { data: { id: string; result: { plan: { refined_prompt: string }; images: Array<{ asset_id: string; url: string }> } } };
      expect(turn.data.id).toBe(sent.job_id);
      expect(turn.data.result.plan.refined_prompt).toMatch(/^\/v1\/assets\/kite\b/);
      expect(turn.data.result.images[0]!.url).toBe(`/studio/v1/assets/${turn.data.result.images[0]!.asset_id}`);
    } finally {
      await mounted.close();
    }
  });

  it('keeps undelivered webhooks across a restart: the next server delivers them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-webhooks-'));
    const policy = { secret, retryDelaysMs: [60_000], pollMs: 25, isAllowedAddress: (address: string) => address === '127.0.0.1' };
    try {
      deliveries.length = 0;
      answers = [500];
      const first = await startTestServer({ engine: { dataDir }, server: { webhooks: policy } });
      const result = await (await first.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri, webhook_url: receiverUrl })).json();
      await until(() => deliveries.length === 1);
      await first.close();
      expect(deliveries.map((delivery) => delivery.status)).toEqual([500]);
      const second = await startTestServer({ engine: { dataDir }, server: { webhooks: { ...policy, retryDelaysMs: [60_000] } } });
      try {
        // The retry is due in a minute; make it due now, as the clock would.
        const row = await second.engine.webhooks.get(result.job_id);
        expect(row).toMatchObject({ attempts: 1, lastError: 'the receiver answered HTTP 500', deliveredAt: null });
        await second.engine.webhooks.failed(result.job_id, row!.lastError!, Date.now());
        await until(() => deliveries.length === 2);
        expect(deliveries.map((delivery) => delivery.status)).toEqual([500, 200]);
        expect(new Webhook(secret).verify(deliveries[1]!.body, deliveries[1]!.headers)).toMatchObject({ type: 'job.succeeded', data: { id: result.job_id } });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses webhook URLs that are not http(s), and never calls private addresses by default', async () => {
    const bad = await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri, webhook_url: 'file:///etc/passwd' });
    expect(bad.status).toBe(400);
    // A server with the default policy refuses private receivers when the job is submitted, before anything is stored.
    const guarded = await startTestServer({ server: { webhooks: { secret, retryDelaysMs: [], resolve: async (name) => (name === 'metadata.example.test' ? [{ address: '169.254.169.254', family: 4 }] : lookup(name, { all: true })) } } });
    try {
      deliveries.length = 0;
      const refusals: Array<[string, string]> = [
        [receiverUrl, 'address_not_allowed'],
        ['http://169.254.169.254/latest/meta-data/', 'address_not_allowed'],
        ['http://localhost/hooks', 'address_not_allowed'],
        ['http://[::1]:8080/hooks', 'address_not_allowed'],
        ['http://[::7f00:1]/hooks', 'address_not_allowed'],
        ['http://2130706433/hooks', 'address_not_allowed'],
        ['http://metadata.example.test/hooks', 'address_not_allowed'],
        ['https://user:secret@example.com/hooks', 'credentials_in_url'],
      ];
      for (const [url, reason] of refusals) {
        const before = await guarded.engine.jobs.counts();
        for (const [path, body] of [['/v1/features/enhance', { image: chelseaDataUri, webhook_url: url }]] as const) {
          const refused = await guarded.call('ann', 'POST', path, body, { prefer: 'respond-async' });
          expect(refused.status, url).toBe(400);
          expect((await refused.json()).error, url).toMatchObject({ code: 'invalid_input', details: { reason } });
        }
        const session = (await (await guarded.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
        const chat = await guarded.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'make a sunset', webhook_url: url });
        expect(chat.status, url).toBe(400);
        expect(await guarded.engine.jobs.counts(), url).toEqual(before);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(deliveries).toHaveLength(0);
    } finally {
      await guarded.close();
    }
    const off = await startTestServer();
    try {
      const refused = await off.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri, webhook_url: receiverUrl });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.message).toMatch(/DARKROOM_WEBHOOK_SECRET/);
    } finally {
      await off.close();
    }
  });
});

// The distributed engine end to end, with real processes started through the real CLI: one API
// process (`darkroom serve --api-only`) and two workers (`darkroom worker --concurrency 3`) on a
// PostgreSQL database of this run and a redis-server of its own (BullMQ jobs, Redis pub/sub events),
// sharing one data directory. Every process loads testing/distributed-test-plugin.ts, which slows
// the local provider's calls (so progress can be seen while a job runs) and logs every event a
// process publishes, with its pid, to one file: that tells which process ran each job.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, readEventStream, slowLocalRouting, startCluster, waitForJob, type Cluster, type ReceivedEvent } from './testing/distributed-cluster.js';
import { distributedServicesAvailable } from './testing/distributed-services.js';
import { fixtures } from './testing/test-server.js';

const available = await distributedServicesAvailable();
const coffee = readFileSync(join(fixtures, 'coffee.png'));
const dataUri = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;
const providerDelayMs = 300;

describe.skipIf(!available)('one API process and two worker processes on PostgreSQL and Redis', () => {
  let cluster: Cluster;
  let mask: Buffer;

  beforeAll(async () => {
    cluster = await startCluster({
      workers: [3, 3],
      env: { DARKROOM_ROUTING: slowLocalRouting, DARKROOM_TEST_PROVIDER_DELAY_MS: String(providerDelayMs), DARKROOM_JOB_LEASE_MS: '5000' },
    });
    mask = await sharp({ create: { width: 600, height: 400, channels: 3, background: 'black' } })
      .composite([{ input: await sharp({ create: { width: 60, height: 50, channels: 3, background: 'white' } }).png().toBuffer(), left: 430, top: 40 }])
      .png()
      .toBuffer();
  }, 120_000);
  afterAll(async () => {
    await cluster?.dispose();
  }, 60_000);

  /** The pids that published the job's step events, and whether the API process published any of its run. */
  const ranBy = (jobId: string) => {
    const events = cluster.events().filter((event) => event.jobId === jobId);
    const pids = new Set(events.filter((event) => event.type.startsWith('step.') || event.type === 'job.started' || event.type === 'job.succeeded').map((event) => event.pid));
    return [...pids];
  };
  const workerPids = () => cluster.workers.map((worker) => worker.pid);
  /** Events the client had before the job ended (its finished_at, written by the worker). */
  const before = (events: ReceivedEvent[], finishedAt: string) => events.filter((event) => event.at < Date.parse(finishedAt));

  it('runs chat turns on the workers, and the session stream on the API shows their progress and steps live', { timeout: 120_000 }, async () => {
    const session = (await callApi(cluster.url, 'POST', '/api/v1/chat/sessions', {})).body.session_id as string;
    let sent: { message_id: string; job_id: string } | undefined;
    const streamed = readEventStream(`${cluster.url}/api/v1/chat/sessions/${session}/events`, (event, seen) => {
      // The turn is sent once the stream answered its snapshot.
      if (event.event === 'snapshot') {
        void callApi(cluster.url, 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'create a 128x128 sunset over mountains, then upscale it 2x' }).then((reply) => (sent = reply.body));
      }
      return event.event === 'message.updated' && event.data.status === 'DONE' && seen.some((earlier) => earlier.event === 'step.succeeded' && earlier.data.step === 'step-1:upscale');
    });
    const events = await streamed;
    const job = await waitForJob(cluster.url, sent!.job_id);
    expect(job.state).toBe('succeeded');
    // Live: the worker's step events and progress reached the API's stream while the job still ran, from
    // the job's start (the API process told the turn's message.updated when it took the message).
    const live = before(events, job.finished_at);
    expect(live.some((event) => event.event === 'job.started')).toBe(true);
    // (The reply step is left out: it starts a few ms before the end, closer than the stream's delivery.)
    expect(live.filter((event) => event.event === 'step.started').map((event) => event.data.step).slice(0, 3)).toEqual(['plan', 'step-0:generate', 'step-1:upscale']);
    expect(events.filter((event) => event.event === 'step.started').map((event) => event.data.step)).toEqual(['plan', 'step-0:generate', 'step-1:upscale', 'reply']);
    expect(live.some((event) => event.event === 'job.progress' && event.data.progress > 0 && event.data.progress < 100)).toBe(true);
    expect(live.some((event) => event.event === 'message.updated' && event.data.status === 'PROCESSING')).toBe(true);
    const generated = live.find((event) => event.event === 'step.succeeded' && event.data.step === 'step-0:generate')!;
    expect(Date.parse(job.finished_at) - generated.at).toBeGreaterThan(providerDelayMs / 2);
    // A worker ran it; the API process only queued it.
    expect(ranBy(sent!.job_id)).toHaveLength(1);
    expect(workerPids()).toContain(ranBy(sent!.job_id)[0]);
    expect(cluster.events().filter((event) => event.pid === cluster.api.pid).map((event) => event.type)).not.toContain('step.started');

    const message = (await callApi(cluster.url, 'GET', `/api/v1/chat/sessions/${session}/messages/${sent!.message_id}`)).body;
    expect(message).toMatchObject({ status: 'DONE', content: 'Done: generate → upscale. Your image is 256×256.' });
    expect(message.images.map((image: { feature: string; width: number }) => [image.feature, image.width])).toEqual([['generate', 128], ['upscale', 256]]);
    // The worker wrote the file into the shared data directory; the API serves it.
    const picture = await fetch(`${cluster.url}${message.image_url}`);
    expect(picture.status).toBe(200);
    expect((await sharp(new Uint8Array(await picture.arrayBuffer())).metadata()).width).toBe(256);
  });

  it('runs turns of many sessions at once on both workers; "it" is the image another process made (Vietnamese)', { timeout: 120_000 }, async () => {
    const turns = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const session = (await callApi(cluster.url, 'POST', '/api/v1/chat/sessions', {})).body.session_id as string;
        const first = (await callApi(cluster.url, 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: `tạo ảnh hoàng hôn 96x96 số ${index}` })).body;
        expect((await waitForJob(cluster.url, first.job_id)).state).toBe('succeeded');
        // "phóng to nó gấp đôi" = "upscale it 2x": the session's latest image, made by a worker.
        const second = (await callApi(cluster.url, 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'phóng to nó gấp đôi' })).body;
        expect((await waitForJob(cluster.url, second.job_id)).state).toBe('succeeded');
        const reply = (await callApi(cluster.url, 'GET', `/api/v1/chat/sessions/${session}/messages/${second.message_id}`)).body;
        return { jobs: [first.job_id, second.job_id], reply };
      }),
    );
    for (const { reply } of turns) {
      expect(reply.status).toBe('DONE');
      expect(reply.content).toMatch(/^Xong: upscale/);
      expect(reply.images.map((image: { width: number }) => image.width)).toEqual([192]);
    }
    const pids = turns.flatMap(({ jobs }) => jobs.map((job) => ranBy(job)));
    expect(pids.every((ran) => ran.length === 1 && workerPids().includes(ran[0]!))).toBe(true);
    expect(new Set(pids.flat()).size).toBe(2);
  });

  // route, body, expected width × height
  const features: Array<[string, () => Record<string, unknown>, [number, number]]> = [
    ['image-generation', () => ({ prompt: 'a lighthouse at dusk', width: 160, height: 96, seed: 7 }), [160, 96]],
    ['upscale', () => ({ image: dataUri(coffee), scale: 2 }), [1200, 800]],
    ['remove-background', () => ({ image: dataUri(coffee) }), [600, 400]],
    ['relight', () => ({ image: dataUri(coffee), direction: 'right', intensity: 0.6, warmth: 0.5 }), [600, 400]],
    ['style-transfer', () => ({ image: dataUri(coffee), style: 'pencil-sketch' }), [600, 400]],
    ['reimagine', () => ({ image: dataUri(coffee), prompt: 'as a watercolor' }), [600, 400]],
    ['image-expand', () => ({ image: dataUri(coffee), aspect_ratio: '16:9' }), [711, 400]],
    ['object-removal', () => ({ image: dataUri(coffee), mask: dataUri(mask) }), [600, 400]],
    ['enhance', () => ({ image: dataUri(coffee), denoise: 0.5 }), [600, 400]],
  ];

  it('answers every bundled feature through the HTTP API, each run by a worker and recorded in the gallery', { timeout: 180_000 }, async () => {
    const results = await Promise.all(
      features.map(async ([route, body, size]) => {
        const response = await callApi(cluster.url, 'POST', `/v1/features/${route}`, body());
        expect(response.status, `${route}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe(200);
        expect([response.body.images[0].width, response.body.images[0].height], route).toEqual(size);
        expect(response.body.provider).toBe('slow-local');
        return { route, body: response.body };
      }),
    );
    // A multipart upload (README: curl -F image=@photo.png -F scale=2) reaches a worker the same way.
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(coffee)], { type: 'image/png' }), 'photo.png');
    form.append('scale', '2');
    const multipart = (await (await fetch(`${cluster.url}/v1/features/upscale`, { method: 'POST', body: form })).json()) as Record<string, any>;
    expect(multipart.images[0]).toMatchObject({ width: 1200, height: 800 });
    results.push({ route: 'upscale (multipart)', body: multipart });

    for (const { route, body } of results) {
      const ran = ranBy(body.job_id);
      expect(ran.length, route).toBe(1);
      expect(workerPids(), route).toContain(ran[0]);
      const gallery = (await callApi(cluster.url, 'GET', `/v1/gallery/${body.images[0].gallery_id}`)).body;
      expect(gallery.metadata.source, route).toBe('direct');
      expect((await fetch(`${cluster.url}${body.image_url}`)).status, route).toBe(200);
    }
    expect(new Set(results.map(({ body }) => ranBy(body.job_id)[0])).size).toBe(2);
  });

  it('streams a feature job from the API: the worker\'s start and steps arrive before the job ends', { timeout: 60_000 }, async () => {
    const accepted = await callApi(cluster.url, 'POST', '/v1/features/enhance', { image: dataUri(coffee) }, { prefer: 'respond-async' });
    expect(accepted.status).toBe(202);
    // From the job's first event (Last-Event-ID: 0): a worker may start it before the stream is open.
    const events = await readEventStream(`${cluster.url}${accepted.body.events_url}`, (event) => ['job.succeeded', 'job.failed', 'job.cancelled'].includes(event.event) || (event.event === 'snapshot' && event.data.state === 'succeeded'), 60_000, { 'last-event-id': '0' });
    const job = await waitForJob(cluster.url, accepted.body.job_id);
    expect(job.state).toBe('succeeded');
    expect(events.at(-1)).toMatchObject({ event: 'job.succeeded', data: { job_id: job.id, result: { feature: 'enhance' } } });
    const live = before(events, job.finished_at).map((event) => (event.event.startsWith('step.') ? `${event.event} ${event.data.step}` : event.event));
    expect(live).toEqual(expect.arrayContaining(['job.started', 'step.started run:enhance']));
    expect(workerPids()).toContain(ranBy(job.id)[0]);
  });
});

import type { EngineEvent } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../create-default-engine.js';
import { EventJournal } from './event-journal.js';
import { toWireEvent } from './to-wire-event.js';

const error = { code: 'provider_unavailable' as const, message: 'busy', retryable: true, details: { retryAfterMs: 1000 } };

/** Every engine event and its wire form: snake_case keys at the top, nested values as they are, no user. */
const cases: Array<[EngineEvent, { event: string; data: Record<string, unknown> }]> = [
  [{ type: 'job.queued', jobId: 'job_1', userId: 'u1', kind: 'feature' }, { event: 'job.queued', data: { job_id: 'job_1', kind: 'feature' } }],
  [{ type: 'job.started', jobId: 'job_1', userId: 'u1', attempt: 2 }, { event: 'job.started', data: { job_id: 'job_1', attempt: 2 } }],
  [{ type: 'job.progress', jobId: 'job_1', userId: 'u1', progress: 40 }, { event: 'job.progress', data: { job_id: 'job_1', progress: 40 } }],
  [{ type: 'step.started', jobId: 'job_1', userId: 'u1', step: 'run:paint', attempt: 1 }, { event: 'step.started', data: { job_id: 'job_1', step: 'run:paint', attempt: 1 } }],
  [{ type: 'step.succeeded', jobId: 'job_1', userId: 'u1', step: 'run:paint' }, { event: 'step.succeeded', data: { job_id: 'job_1', step: 'run:paint' } }],
  [{ type: 'step.failed', jobId: 'job_1', userId: 'u1', step: 'run:paint', error }, { event: 'step.failed', data: { job_id: 'job_1', step: 'run:paint', error } }],
  [{ type: 'job.retrying', jobId: 'job_1', userId: 'u1', error, runAfter: 1_700_000_000_000 }, { event: 'job.retrying', data: { job_id: 'job_1', error, run_after: 1_700_000_000_000 } }],
  [{ type: 'job.succeeded', jobId: 'job_1', userId: 'u1', kind: 'poster', result: { images: [{ assetId: 'kept as is' }] } }, { event: 'job.succeeded', data: { job_id: 'job_1', result: { images: [{ assetId: 'kept as is' }] } } }],
  [{ type: 'job.succeeded', jobId: 'job_1', userId: 'u1', kind: 'feature', result: { feature: 'paint', images: [{ assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 2, mimeType: 'image/png' }], provider: 'p', model: 'm', metadata: {}, attempts: [] } }, { event: 'job.succeeded', data: { job_id: 'job_1', result: expect.objectContaining({ images: [{ asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 2, mime_type: 'image/png' }] }) } }],
  [{ type: 'job.succeeded', jobId: 'job_1', userId: 'u1', kind: 'feature', result: undefined, resultOmitted: true }, { event: 'job.succeeded', data: { job_id: 'job_1', result_omitted: true } }],
  [{ type: 'job.failed', jobId: 'job_1', userId: 'u1', error }, { event: 'job.failed', data: { job_id: 'job_1', error } }],
  [{ type: 'job.cancelled', jobId: 'job_1', userId: 'u1' }, { event: 'job.cancelled', data: { job_id: 'job_1' } }],
  [{ type: 'message.updated', userId: 'u1', sessionId: 'ses_1', messageId: 'msg_1', jobId: 'job_1', status: 'DONE' }, { event: 'message.updated', data: { session_id: 'ses_1', message_id: 'msg_1', job_id: 'job_1', status: 'DONE' } }],
];

describe('toWireEvent', () => {
  it.each(cases)('writes %o for clients', (event, wire) => {
    expect(JSON.parse(JSON.stringify(toWireEvent(event)))).toEqual(wire);
  });
});

describe("toWireEvent under a server's base path", () => {
  it('writes the image URLs of a result under it, and nothing else', () => {
    const look = '/v1/assets/not-an-image';
    const image = { assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 2, mimeType: 'image/png' };
    const succeeded: EngineEvent = { type: 'job.succeeded', jobId: 'job_1', userId: 'u1', kind: 'feature', result: { feature: 'paint', images: [image], provider: 'p', model: 'm', metadata: { prompt: look }, attempts: [] } };
    expect(toWireEvent(succeeded, '/studio').data).toMatchObject({ result: { images: [{ url: '/studio/v1/assets/ast_1' }], metadata: { prompt: look } } });
    const own: EngineEvent = { type: 'job.succeeded', jobId: 'job_1', userId: 'u1', kind: 'poster', result: { url: look } };
    expect(toWireEvent(own, '/studio').data).toEqual({ job_id: 'job_1', result: { url: look } });
    const failed: EngineEvent = { type: 'job.failed', jobId: 'job_1', userId: 'u1', error: { ...error, message: look } };
    expect(toWireEvent(failed, '/studio').data).toEqual({ job_id: 'job_1', error: { ...error, message: look } });
  });
});

describe('EventJournal', () => {
  it('reads back the result of a job.succeeded that crossed processes without it, keeping the job\'s order', async () => {
    const engine = await createDefaultEngine({ runner: { pollMs: 20 } });
    const journal = new EventJournal(engine);
    try {
      const done = await engine.run('generate', { prompt: 'a quiet harbour', width: 64, height: 64 });
      const jobId = done.jobId;
      const key = EventJournal.job(jobId);
      const before = journal.lastId(key);
      engine.events.publish({ type: 'job.succeeded', jobId, userId: 'local', kind: 'feature', result: undefined, resultOmitted: true });
      engine.events.publish({ type: 'job.cancelled', jobId, userId: 'local' });
      await expect.poll(() => journal.since(key, before)?.map((entry) => entry.event)).toEqual(['job.succeeded', 'job.cancelled']);
      const [succeeded] = journal.since(key, before)!;
      expect(succeeded!.data).toEqual({ job_id: jobId, result: expect.objectContaining({ images: [expect.objectContaining({ asset_id: done.images[0]!.assetId })] }) });
    } finally {
      journal.close();
      await engine.close();
    }
  });
});

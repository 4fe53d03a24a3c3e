import type { FeatureRunResult, Job } from '@darkroom/core';
import { describe, expect, it } from 'vitest';
import { toWireJob, toWireJobResult } from './to-wire-job.js';

const image = { assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 2, mimeType: 'image/png' };
const wireImage = { asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 2, mime_type: 'image/png' };
const result: FeatureRunResult = { feature: 'upscale', images: [image], provider: 'local', model: 'm', metadata: { kept_as_is: { a: 1 } }, attempts: [{ provider: 'local', model: 'm', outcome: 'succeeded', durationMs: 3 }] };

const job: Job = {
  id: 'job_1', userId: 'u1', kind: 'feature', input: { feature: 'upscale', input: {} }, state: 'succeeded', attempt: 1, maxAttempts: 3, stalls: 0, progress: 100,
  result, cancelRequested: false, runAfter: 0, createdAt: 0, updatedAt: 2_000, startedAt: 1_000, finishedAt: 2_000,
  steps: [{ jobId: 'job_1', key: 'run:upscale', status: 'succeeded', attempt: 1, startedAt: 1_000, finishedAt: 2_000, output: result, state: {} }],
};

describe('job wire format', () => {
  it('writes the job clients see: no owner, input or lease; ISO times; steps; the result in its wire shape', () => {
    expect(toWireJob(job)).toStrictEqual({
      id: 'job_1', kind: 'feature', state: 'succeeded', progress: 100, attempt: 1, max_attempts: 3,
      result: { feature: 'upscale', images: [wireImage], provider: 'local', model: 'm', metadata: { kept_as_is: { a: 1 } }, attempts: [{ provider: 'local', model: 'm', outcome: 'succeeded', durationMs: 3 }] },
      error: null, created_at: '1970-01-01T00:00:00.000Z', updated_at: '1970-01-01T00:00:02.000Z', started_at: '1970-01-01T00:00:01.000Z', finished_at: '1970-01-01T00:00:02.000Z',
      steps: [{ key: 'run:upscale', status: 'succeeded', attempt: 1, started_at: '1970-01-01T00:00:01.000Z', finished_at: '1970-01-01T00:00:02.000Z', error: null }],
    });
    const queued = toWireJob({ ...job, state: 'queued', result: undefined, startedAt: undefined, finishedAt: undefined, steps: [] });
    expect(queued).toMatchObject({ result: null, started_at: null, finished_at: null, steps: [] });
  });

  it("writes image URLs under the server's base path: a feature's, a chat turn's; never its text, metadata or a workflow's own result", () => {
    const look = '/v1/assets/not-an-image';
    const mine: FeatureRunResult = { ...result, metadata: { prompt: look, url: look, images: [{ url: look }] } };
    const wire = toWireJob({ ...job, result: mine }, '/studio');
    expect(wire.result).toMatchObject({ images: [{ ...wireImage, url: '/studio/v1/assets/ast_1' }], metadata: { prompt: look, url: look, images: [{ url: look }] } });
    const plan = { intents: [{ intent: 'image_generate', feature: 'paint', confidence: 1, parameters: { prompt: look } }], confidence: 1, detector: 'rule-based', language: 'en' as const, steps: [{ feature: 'paint', intent: 'image_generate', confidence: 1, input: { prompt: look } }], refinedPrompt: look, negativePrompt: look };
    expect(toWireJobResult('chat', { plan, images: [{ ...image, feature: 'paint' }] }, '/studio')).toStrictEqual({
      plan: { intents: plan.intents, confidence: 1, detector: 'rule-based', language: 'en', steps: plan.steps, refined_prompt: look, negative_prompt: look },
      images: [{ ...wireImage, url: '/studio/v1/assets/ast_1', feature: 'paint' }],
    });
    const own = { url: '/v1/assets/ast_1', title: look };
    expect(toWireJobResult('poster', own, '/studio')).toStrictEqual(own);
  });

  it("writes a chat result's images, and passes a plugin workflow's result through", () => {
    const plan = { intents: [], steps: [{ feature: 'paint', input: { prompt: 'a boat' } }], refined_prompt: 'a boat' };
    expect(toWireJobResult('chat', { plan, images: [{ ...image, feature: 'paint' }] })).toStrictEqual({ plan, images: [{ ...wireImage, feature: 'paint' }] });
    expect(toWireJobResult('poster', { whatever: [1] })).toStrictEqual({ whatever: [1] });
    expect(toWireJobResult('feature', { ...result, seed: 5 })).toMatchObject({ seed: 5 });
  });
});

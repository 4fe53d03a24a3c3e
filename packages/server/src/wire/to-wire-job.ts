import type { job } from '@darkroom/api';
import type { z } from 'zod';
import type { ChatJobResult, FeatureRunResult, Job, StepRecord } from '@darkroom/core';
import { isoTime, isoTimeOrNull } from './iso-time.js';
import { toWireChatPlan } from './to-wire-chat-plan.js';
import { toWireFeatureResult } from './to-wire-feature-result.js';
import { toWireMessageImage } from './to-wire-image-reference.js';

/** A job as the API writes it (`Job`): its state, progress, steps, and result or error. */
export type WireJob = z.output<typeof job>;

export type WireStep = WireJob['steps'][number];

/**
 * A job's result as the API writes it. The engine's own kinds have a wire shape: `feature` jobs a
 * feature result, `chat` jobs `{ plan, images }` (the intent router's plan, see `toWireChatPlan`);
 * their images' URLs are written under the server's base path (see wireAssetUrl). Any other kind's
 * result (a workflow given to createEngine) is passed through as it is: the server cannot tell an
 * image URL in it from text, so that workflow writes its URLs in the form clients should follow.
 *
 * @example
 * toWireJobResult(job.kind, job.result, '/studio');
 */
export function toWireJobResult(kind: string, result: unknown, basePath = ''): unknown {
  if (result === undefined || result === null) return null;
  if (kind === 'feature') return toWireFeatureResult(result as FeatureRunResult, basePath);
  if (kind === 'chat') {
    const chat = result as ChatJobResult;
    return { plan: toWireChatPlan(chat.plan), images: chat.images.map((image) => toWireMessageImage(image, basePath)) };
  }
  return result;
}

const toWireStep = (step: StepRecord): WireStep => ({
  key: step.key,
  status: step.status,
  attempt: step.attempt,
  started_at: isoTime(step.startedAt),
  finished_at: isoTimeOrNull(step.finishedAt),
  error: step.error ?? null,
});

/**
 * A job; image URLs in its result under the server's base path (see toWireJobResult).
 *
 * @example
 * toWireJob(await engine.jobs.get(userId, id), '/studio').max_attempts;
 */
export function toWireJob(job: Job, basePath = ''): WireJob {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    progress: job.progress,
    attempt: job.attempt,
    max_attempts: job.maxAttempts,
    result: toWireJobResult(job.kind, job.result, basePath),
    error: job.error ?? null,
    created_at: isoTime(job.createdAt),
    updated_at: isoTime(job.updatedAt),
    started_at: isoTimeOrNull(job.startedAt),
    finished_at: isoTimeOrNull(job.finishedAt),
    steps: job.steps.map(toWireStep),
  };
}

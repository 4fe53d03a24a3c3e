import type { sessionEvents, StreamEvent } from '@darkroom/api';
import type { EngineEvent } from '@darkroom/core';
import { toWireJobResult } from '../wire/index.js';

/**
 * An engine event as event streams send it: the SSE event name and its snake_case JSON data, typed
 * from the contract's event schemas (`sessionEvents` of `@darkroom/api`, which the OpenAPI document
 * describes), so a mapping that strays from them does not compile. The owner (`userId`) is never
 * sent: streams are filtered per user before anything is written.
 */
export type WireEvent = Exclude<StreamEvent<typeof sessionEvents>, { event: 'snapshot' }>;

/**
 * The one serializer of engine events for clients: one explicit mapping per event type, so the
 * wire format changes only here and only on purpose. Image URLs in a `job.succeeded` result are
 * written under the server's base path (see toWireJobResult).
 *
 * @example
 * toWireEvent({ type: 'job.progress', jobId: 'job_1', userId: 'u1', progress: 40 });
 * // { event: 'job.progress', data: { job_id: 'job_1', progress: 40 } }
 */
export function toWireEvent(event: EngineEvent, basePath = ''): WireEvent {
  switch (event.type) {
    case 'job.queued':
      return { event: event.type, data: { job_id: event.jobId, kind: event.kind } };
    case 'job.started':
      return { event: event.type, data: { job_id: event.jobId, attempt: event.attempt } };
    case 'job.progress':
      return { event: event.type, data: { job_id: event.jobId, progress: event.progress } };
    case 'step.started':
      return { event: event.type, data: { job_id: event.jobId, step: event.step, attempt: event.attempt } };
    case 'step.succeeded':
      return { event: event.type, data: { job_id: event.jobId, step: event.step } };
    case 'step.failed':
      return { event: event.type, data: { job_id: event.jobId, step: event.step, error: event.error } };
    case 'job.retrying':
      return { event: event.type, data: { job_id: event.jobId, error: event.error, run_after: event.runAfter } };
    case 'job.succeeded':
      return { event: event.type, data: event.resultOmitted ? { job_id: event.jobId, result_omitted: true } : { job_id: event.jobId, result: toWireJobResult(event.kind, event.result, basePath) } };
    case 'job.failed':
      return { event: event.type, data: { job_id: event.jobId, error: event.error } };
    case 'job.cancelled':
      return { event: event.type, data: { job_id: event.jobId } };
    case 'message.updated':
      return { event: event.type, data: { session_id: event.sessionId, message_id: event.messageId, job_id: event.jobId, status: event.status } };
    default: {
      const unknown: never = event;
      throw new TypeError(`No wire format for the engine event ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

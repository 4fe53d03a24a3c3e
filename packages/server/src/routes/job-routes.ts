import { EventJournal } from '../events/event-journal.js';
import { streamEvents } from '../events/stream-events.js';
import type { ApiRoutes } from '../openapi/api-routes.js';
import { job } from '../schemas/job-schemas.js';
import type { ServerServices } from '../server-services.js';
import { toWireJob } from '../wire/index.js';

const finalEvents = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);
const terminal = new Set(['succeeded', 'failed', 'cancelled']);

/** Jobs: status, cancellation, and their live events. */
export function jobRoutes(routes: ApiRoutes, services: ServerServices): void {
  routes.add(
    { method: 'get', path: '/v1/jobs/:id', operationId: 'getJob', summary: 'A job: state, progress, steps, result or error', tag: 'Jobs', responses: { 200: { description: 'The job', schema: job } } },
    async (c) => ({ status: 200, body: toWireJob(await c.get('engine').jobs.get(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    { method: 'delete', path: '/v1/jobs/:id', operationId: 'cancelJob', summary: 'Cancels a job (a running provider call is aborted)', tag: 'Jobs', responses: { 200: { description: 'The job after the cancellation request', schema: job } } },
    async (c) => ({ status: 200, body: toWireJob(await c.get('engine').jobs.cancel(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    {
      method: 'get', path: '/v1/jobs/:id/events', operationId: 'streamJobEvents', tag: 'Jobs',
      summary: 'Server-Sent Events of a job: snapshot, progress, steps, final result; resumable with Last-Event-ID',
      description: 'Events: `snapshot` (the job now), `job.started`, `job.progress` ({progress}), `step.started`, `step.succeeded`, `step.failed`, `job.retrying`, and a final `job.succeeded` / `job.failed` / `job.cancelled`, after which the stream ends. Reconnect with `Last-Event-ID` to receive only what was missed.',
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
    },
    async (c) => {
      const engine = c.get('engine');
      const userId = c.get('userId');
      const id = c.req.param('id')!;
      await engine.jobs.get(userId, id);
      return streamEvents(c, {
        journal: services.journal,
        openStreams: services.openStreams,
        key: EventJournal.job(id),
        heartbeatMs: services.heartbeatMs,
        pollMs: services.eventPollMs,
        isFinal: (entry) => finalEvents.has(entry.event),
        snapshot: async () => {
          const current = await engine.jobs.get(userId, id);
          return { event: 'snapshot', data: toWireJob(current, services.basePath), final: terminal.has(current.state) };
        },
        refresh: async () => {
          const current = await engine.jobs.get(userId, id);
          return terminal.has(current.state) ? { events: [{ event: 'snapshot', data: toWireJob(current, services.basePath) }], final: true } : { events: [], final: false };
        },
      });
    },
  );
}

import { apiRoutes, type jobQuery } from '@darkroom/api';
import type { z } from 'zod';
import { EventJournal } from '../events/event-journal.js';
import { streamEvents } from '../events/stream-events.js';
import type { ApiRoutes } from '../openapi/api-routes.js';
import type { ServerServices } from '../server-services.js';
import { toWireJob } from '../wire/index.js';

const finalEvents = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);
const terminal = new Set(['succeeded', 'failed', 'cancelled']);

/** Jobs: the caller's list, status, cancellation, and their live events. */
export function jobRoutes(routes: ApiRoutes, services: ServerServices): void {
  routes.add(apiRoutes.listJobs, async (c, { query }) => {
    const { limit, cursor, state, kind } = query as z.infer<typeof jobQuery>;
    const page = await c.get('engine').jobs.list(c.get('userId'), { ...(limit !== undefined ? { limit } : {}), ...(cursor ? { cursor } : {}), ...(state ? { state } : {}), ...(kind ? { kind } : {}) });
    const jobs = page.jobs.map((job) => {
      const { steps: _steps, ...summary } = toWireJob({ ...job, steps: [] }, services.basePath);
      return summary;
    });
    return { status: 200, body: { jobs, next_cursor: page.nextCursor } };
  });
  routes.add(
    apiRoutes.getJob,
    async (c) => ({ status: 200, body: toWireJob(await c.get('engine').jobs.get(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    apiRoutes.cancelJob,
    async (c) => ({ status: 200, body: toWireJob(await c.get('engine').jobs.cancel(c.get('userId'), c.req.param('id')!), services.basePath) }),
  );
  routes.add(
    apiRoutes.streamJobEvents,
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

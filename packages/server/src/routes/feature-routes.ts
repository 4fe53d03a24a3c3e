import { Hono } from 'hono';
import { DarkroomError } from '@darkroom/core';
import { readRequestBody } from '../read-request-body.js';
import type { ServerEnv } from '../server-env.js';

/**
 * `POST /v1/features/<route>` for every registered feature. Synchronous by default;
 * `Prefer: respond-async` answers 202 with the job to poll.
 */
export function featureRoutes() {
  const app = new Hono<ServerEnv>({ strict: false });
  app.post('/:route', async (c) => {
    const engine = c.get('engine');
    const feature = engine.features.byRouteName(c.req.param('route'));
    if (!feature) {
      throw new DarkroomError({
        code: 'not_found',
        message: `No feature route ${JSON.stringify(c.req.param('route'))}`,
        details: { routes: engine.features.list().map((candidate) => candidate.route) },
      });
    }
    const body = await readRequestBody(c);
    const options = {
      userId: c.get('userId'),
      ...(c.req.header('idempotency-key') ? { idempotencyKey: c.req.header('idempotency-key')! } : {}),
      signal: c.req.raw.signal,
    };
    if (/respond-async/i.test(c.req.header('prefer') ?? '')) {
      const job = await engine.submit(feature.id, body, options);
      c.header('Location', `/v1/jobs/${job.id}`);
      return c.json({ job_id: job.id, status: job.state }, 202);
    }
    const result = await engine.run(feature.id, body, options);
    return c.json({ ...result, image_url: result.images[0]?.url ?? null });
  });
  return app;
}

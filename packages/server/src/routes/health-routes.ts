import { z } from 'zod';
import type { ApiRoutes } from '../openapi/api-routes.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { toWireHealth, toWireReadiness } from '../wire/index.js';

const check = z.object({ ok: z.boolean(), message: z.string().optional() });
const readiness = z.object({ ok: z.boolean(), database: check, storage: check, queue: check, events: check, workers: z.object({ ok: z.boolean(), active_jobs: z.number().int(), runs_jobs: z.boolean() }) }).meta({ id: 'Readiness' });
const providerHealth = z.looseObject({ ok: z.boolean() }).meta({ id: 'ImageServicesHealth' });

/** Liveness, readiness, metrics, and seed 003's provider health and model list. */
export function healthRoutes(routes: ApiRoutes, metrics: ServerMetrics | undefined, isShuttingDown: () => boolean): void {
  routes.add(
    { method: 'get', path: '/health', operationId: 'health', summary: 'Liveness: the process answers', tag: 'Operations', public: true, responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } } },
    () => ({ status: 200, body: { status: 'ok' } }),
  );
  routes.add(
    {
      method: 'get', path: '/ready', operationId: 'ready', summary: 'Readiness: stores, asset storage, job queue and event transport reachable, workers running (unless API-only), not shutting down', tag: 'Operations', public: true,
      responses: { 200: { description: 'Ready', schema: readiness }, 503: { description: 'Not ready (or shutting down)', schema: readiness } },
    },
    async (c) => {
      const ready = toWireReadiness(await c.get('engine').ready());
      const ok = ready.ok && !isShuttingDown();
      return { status: ok ? 200 : 503, body: { ...ready, ok } };
    },
  );
  if (metrics) {
    routes.add(
      { method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Prometheus metrics: requests, latencies, jobs by state, provider calls', tag: 'Operations', public: true, responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } } },
      async (c) => {
        const { text, contentType } = await metrics.scrape();
        return c.body(text, 200, { 'Content-Type': contentType });
      },
    );
  }
  routes.add(
    { method: 'get', path: '/api/health/images', operationId: 'imageServicesHealth', summary: 'Seed 003: database, storage and every provider probed, with circuit state', tag: 'Operations', responses: { 200: { description: 'Healthy', schema: providerHealth }, 503: { description: 'Unhealthy', schema: providerHealth } } },
    async (c) => {
      const health = toWireHealth(await c.get('engine').health());
      return { status: health.ok ? 200 : 503, body: health };
    },
  );
  routes.add(
    { method: 'get', path: '/api/images/models', operationId: 'imageModels', summary: 'Seed 003: every model of every provider and what it can do', tag: 'Images', responses: { 200: { description: 'Models', schema: z.object({ models: z.array(z.looseObject({ provider: z.string() })) }) } } },
    (c) => ({ status: 200, body: { models: c.get('engine').models() } }),
  );
}

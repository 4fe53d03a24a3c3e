import { apiRoutes } from '@darkroom/api';
import type { ApiRoutes } from '../openapi/api-routes.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { toWireHealth, toWireReadiness } from '../wire/index.js';

/** Liveness, readiness, metrics, and the images service's provider health and model list. */
export function healthRoutes(routes: ApiRoutes, metrics: ServerMetrics | undefined, isShuttingDown: () => boolean): void {
  routes.add(
    apiRoutes.health,
    () => ({ status: 200, body: { status: 'ok' } }),
  );
  routes.add(
    apiRoutes.ready,
    async (c) => {
      const ready = toWireReadiness(await c.get('engine').ready());
      const ok = ready.ok && !isShuttingDown();
      return { status: ok ? 200 : 503, body: { ...ready, ok } };
    },
  );
  if (metrics) {
    routes.add(
      apiRoutes.metrics,
      async (c) => {
        const { text, contentType } = await metrics.scrape();
        return c.body(text, 200, { 'Content-Type': contentType });
      },
    );
  }
  routes.add(
    apiRoutes.imageServicesHealth,
    async (c) => {
      const health = toWireHealth(await c.get('engine').health());
      return { status: health.ok ? 200 : 503, body: health };
    },
  );
  routes.add(
    apiRoutes.imageModels,
    (c) => ({ status: 200, body: { models: c.get('engine').models() } }),
  );
}

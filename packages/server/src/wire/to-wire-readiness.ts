import type { readiness as readinessSchema } from '@darkroom/api';
import type { z } from 'zod';
import type { Check, EngineHealth, ProviderHealthReport, Readiness, StoreCheck } from '@darkroom/core';
import { isoTime } from './iso-time.js';

/**
 * The stores' checks as one `database` check (the wire's name for where state lives): ok when every
 * store is ready; otherwise the message names each store that is not (`conversations (mongodb): …`).
 */
function storesCheck(stores: Record<string, StoreCheck>, own?: Check): Check {
  const failed = [
    ...(own && !own.ok ? [`database: ${own.message ?? 'not ready'}`] : []),
    ...Object.entries(stores)
      .filter(([, check]) => !check.ok)
      .map(([role, check]) => `${role} (${check.name}): ${check.message ?? 'not ready'}`),
  ];
  return failed.length === 0 ? { ok: true } : { ok: false, message: failed.join('; ') };
}

/** Readiness as `GET /ready` answers it (`Readiness`). */
export type WireReadiness = z.output<typeof readinessSchema>;

/**
 * @example
 * toWireReadiness(await engine.ready()).database; // { ok: false, message: 'conversations (mongodb): …' }
 */
export function toWireReadiness(readiness: Readiness): WireReadiness {
  return {
    ok: readiness.ok,
    database: storesCheck(readiness.stores),
    storage: readiness.storage,
    queue: readiness.queue,
    events: readiness.events,
    workers: { ok: readiness.workers.ok, active_jobs: readiness.workers.activeJobs, runs_jobs: readiness.workers.runsJobs },
  };
}

/** A provider's health as `GET /api/health/images` writes it: `retry_at` (ISO 8601) while its circuit is open. */
export type WireProviderHealth = Omit<ProviderHealthReport, 'retryAt'> & { retry_at?: string };

const toWireProviderHealth = ({ retryAt, ...same }: ProviderHealthReport): WireProviderHealth => ({ ...same, ...(retryAt !== undefined ? { retry_at: isoTime(retryAt) } : {}) });

/**
 * Seed 003's service health (`GET /api/health/images`): the engine's database and every store as
 * `database`, asset storage, and each provider's report as the provider manager gives it.
 */
export function toWireHealth(health: EngineHealth) {
  return {
    ok: health.ok,
    database: { ...storesCheck(health.stores, health.database), dialect: health.database.dialect },
    storage: health.storage,
    providers: health.providers.map(toWireProviderHealth),
    checked_in_ms: health.checkedInMs,
  };
}

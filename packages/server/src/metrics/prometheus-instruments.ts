import type { Engine } from '@darkroom/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** One server's Prometheus registry and the instruments it records into. */
export interface PrometheusInstruments {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  latency: Histogram<'method' | 'route'>;
  jobEvents: Counter<'event'>;
  providerCalls: Counter<'capability' | 'provider' | 'outcome'>;
  providerLatency: Histogram<'capability' | 'provider'>;
}

/**
 * Creates a server's registry: process metrics, requests by route and status with latencies, jobs by
 * state (read from the engine's job store at scrape time), job events and provider calls with their
 * durations. Loaded by {@link ServerMetrics} on first use, with prom-client.
 */
export function createPrometheusInstruments(engine: Engine): PrometheusInstruments {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'darkroom_process_' });
  new Gauge({
    name: 'darkroom_jobs', help: 'Jobs in the store by state', labelNames: ['state'], registers: [registry],
    async collect() {
      const counts = await engine.jobs.counts().catch(() => undefined);
      for (const state of jobStates) this.set({ state }, counts?.[state] ?? 0);
    },
  });
  return {
    registry,
    requests: new Counter({ name: 'darkroom_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    latency: new Histogram({
      name: 'darkroom_http_request_duration_seconds', help: 'Time to answer HTTP requests (until headers, streams excluded)', labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry],
    }),
    jobEvents: new Counter({ name: 'darkroom_job_events_total', help: 'Job lifecycle events in this process', labelNames: ['event'], registers: [registry] }),
    providerCalls: new Counter({ name: 'darkroom_provider_calls_total', help: 'Provider attempts by outcome', labelNames: ['capability', 'provider', 'outcome'], registers: [registry] }),
    providerLatency: new Histogram({
      name: 'darkroom_provider_call_duration_seconds', help: 'Provider call durations', labelNames: ['capability', 'provider'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [registry],
    }),
  };
}

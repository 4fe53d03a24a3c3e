import type { Engine } from '@darkroom/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/**
 * Prometheus metrics of one server: requests by route and status with latencies, jobs by state (read
 * from the job store at scrape time), job outcomes and provider calls with their durations.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly offs: Array<() => void> = [];

  constructor(engine: Engine) {
    collectDefaultMetrics({ register: this.registry, prefix: 'darkroom_process_' });
    this.requests = new Counter({ name: 'darkroom_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.latency = new Histogram({
      name: 'darkroom_http_request_duration_seconds', help: 'Time to answer HTTP requests (until headers, streams excluded)', labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [this.registry],
    });
    new Gauge({
      name: 'darkroom_jobs', help: 'Jobs in the store by state', labelNames: ['state'], registers: [this.registry],
      async collect() {
        const counts = await engine.jobs.counts().catch(() => undefined);
        for (const state of jobStates) this.set({ state }, counts?.[state] ?? 0);
      },
    });
    const jobEvents = new Counter({ name: 'darkroom_job_events_total', help: 'Job lifecycle events in this process', labelNames: ['event'], registers: [this.registry] });
    const providerCalls = new Counter({ name: 'darkroom_provider_calls_total', help: 'Provider attempts by outcome', labelNames: ['capability', 'provider', 'outcome'], registers: [this.registry] });
    const providerLatency = new Histogram({
      name: 'darkroom_provider_call_duration_seconds', help: 'Provider call durations', labelNames: ['capability', 'provider'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [this.registry],
    });
    this.offs.push(engine.on((event) => {
      if (event.type.startsWith('job.') && event.type !== 'job.progress') jobEvents.inc({ event: event.type.slice(4) });
    }));
    this.offs.push(engine.observeProviders((capability, attempt) => {
      providerCalls.inc({ capability, provider: attempt.provider, outcome: attempt.outcome });
      if (attempt.outcome !== 'skipped') providerLatency.observe({ capability, provider: attempt.provider }, attempt.durationMs / 1000);
    }));
  }

  /** Records one answered request; `route` is the matched route pattern, never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  close(): void {
    for (const off of this.offs) off();
  }
}

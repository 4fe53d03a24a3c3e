import type { Engine } from '@darkroom/core';
import type { PrometheusInstruments } from './prometheus-instruments.js';

/** Observations kept while prom-client loads, at most (a load takes tens of milliseconds). */
const maxPending = 10_000;

/**
 * Prometheus metrics of one server: requests by route and status with latencies, jobs by state (read
 * from the job store at scrape time), job outcomes and provider calls with their durations.
 *
 * prom-client (and its registry) loads on the first observation or scrape, not when the server is
 * created, so a server answers its first request sooner; what is observed meanwhile is recorded as
 * soon as it has loaded, so no count is lost.
 */
export class ServerMetrics {
  private instruments: PrometheusInstruments | undefined;
  private loading: Promise<PrometheusInstruments> | undefined;
  private pending: Array<(instruments: PrometheusInstruments) => void> = [];
  private readonly offs: Array<() => void> = [];

  constructor(private readonly engine: Engine) {
    this.offs.push(engine.on((event) => {
      if (event.type.startsWith('job.') && event.type !== 'job.progress') this.record((m) => m.jobEvents.inc({ event: event.type.slice(4) }));
    }));
    this.offs.push(engine.observeProviders((capability, attempt) => {
      this.record((m) => {
        m.providerCalls.inc({ capability, provider: attempt.provider, outcome: attempt.outcome });
        if (attempt.outcome !== 'skipped') m.providerLatency.observe({ capability, provider: attempt.provider }, attempt.durationMs / 1000);
      });
    }));
  }

  /** Records one answered request; `route` is the matched route pattern, never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.record((m) => {
      m.requests.inc({ method, route, status: String(status) });
      m.latency.observe({ method, route }, seconds);
    });
  }

  /** The metrics in Prometheus text format, and the content type to answer them with. */
  async scrape(): Promise<{ text: string; contentType: string }> {
    const { registry } = await this.load();
    return { text: await registry.metrics(), contentType: registry.contentType };
  }

  close(): void {
    for (const off of this.offs) off();
  }

  /** Applies an observation now, or once prom-client has loaded. */
  private record(observe: (instruments: PrometheusInstruments) => void): void {
    if (this.instruments) return observe(this.instruments);
    if (this.pending.length < maxPending) this.pending.push(observe);
    void this.load().catch(() => undefined);
  }

  /** Loads prom-client and creates the registry, once (again after a failed load), then applies what was observed meanwhile. */
  private load(): Promise<PrometheusInstruments> {
    this.loading ??= import('./prometheus-instruments.js').then(
      ({ createPrometheusInstruments }) => {
        const instruments = createPrometheusInstruments(this.engine);
        this.instruments = instruments;
        for (const observe of this.pending.splice(0)) observe(instruments);
        return instruments;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }
}

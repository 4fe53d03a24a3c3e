import { untilAborted } from './until-aborted.js';
import { DarkroomError, toDarkroomError, type Provider, type ModelInfo, type ProviderCallContext, type Capability, type CapabilityRequest, type CapabilityResult, type StepCheckpoint } from '@darkroom/plugin-api';
import { memoryCheckpoint, scopeCheckpoint } from '../jobs/scope-checkpoint.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';

/** Capability → providers to try, in order (the seeds' `pipeline_type` map). */
export type RoutingConfig = Partial<Record<Capability, string[]>>;

export interface ProviderAttempt {
  provider: string;
  model: string;
  outcome: 'succeeded' | 'failed' | 'skipped';
  durationMs: number;
  error?: { code: string; message: string; retryable: boolean };
}

export interface ProviderCallResult<C extends Capability> {
  result: CapabilityResult<C>;
  provider: string;
  model: string;
  attempts: ProviderAttempt[];
}

export interface ModelListing extends ModelInfo {
  provider: string;
}

export interface ProviderHealthReport {
  provider: string;
  ok: boolean;
  circuit: CircuitState;
  capabilities: Capability[];
  models: string[];
  message?: string;
  /** Epoch ms: while the circuit is open, when the provider is tried again. */
  retryAt?: number;
}

/**
 * Chooses who serves a capability: the explicitly requested provider, else the configured routing,
 * else every provider that has the capability (development stand-ins last). Falls back to the next
 * candidate only on retryable failures; a circuit breaker per provider skips one that keeps failing.
 */
export class ProviderManager {
  private readonly providers = new Map<string, Provider>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly observers = new Set<(capability: Capability, attempt: ProviderAttempt) => void>();

  constructor(
    providers: Provider[],
    private readonly routing: RoutingConfig = {},
    private readonly breakerOptions: CircuitBreakerOptions = { failureThreshold: 5, cooldownMs: 30_000 },
  ) {
    for (const provider of providers) {
      if (this.providers.has(provider.id)) {
        throw new DarkroomError({ code: 'configuration', message: `Two providers have the id ${JSON.stringify(provider.id)}; provider ids must be unique` });
      }
      this.providers.set(provider.id, provider);
      this.breakers.set(provider.id, new CircuitBreaker(breakerOptions));
    }
    for (const [capability, names] of Object.entries(routing)) {
      for (const name of names ?? []) {
        if (!this.providers.has(name)) {
          throw new DarkroomError({ code: 'configuration', message: `Routing for ${capability} names provider ${JSON.stringify(name)}, which is not configured` });
        }
      }
    }
  }

  list(): Provider[] {
    return [...this.providers.values()];
  }

  /** Whether any configured provider can do a capability. */
  offers(capability: Capability): boolean {
    return this.list().some((provider) => provider.capabilities.includes(capability));
  }

  /** The candidates for a call, in the order they would be tried. */
  candidates(capability: Capability, options: { provider?: string; model?: string } = {}): Array<{ provider: Provider; model: ModelInfo }> {
    if (options.provider) {
      const provider = this.providers.get(options.provider);
      if (!provider) throw new DarkroomError({ code: 'invalid_input', message: `Unknown provider ${JSON.stringify(options.provider)}`, details: { providers: [...this.providers.keys()] } });
      if (!provider.capabilities.includes(capability)) {
        throw new DarkroomError({ code: 'unsupported', message: `Provider ${provider.id} cannot do ${capability}` });
      }
      return [{ provider, model: this.pickModel(provider, capability, options.model) }];
    }
    // Own keys only: a capability of a plugin's own named `constructor` or `toString` has no routing in `{}`.
    const routed = Object.hasOwn(this.routing, capability) ? this.routing[capability] : undefined;
    const providers = routed
      ? routed.map((name) => this.providers.get(name)!).filter((provider) => provider.capabilities.includes(capability))
      : this.list()
          .filter((provider) => provider.capabilities.includes(capability))
          .sort((a, b) => Number(a.defaultModel(capability)?.placeholder ?? false) - Number(b.defaultModel(capability)?.placeholder ?? false));
    if (providers.length === 0) {
      throw new DarkroomError({
        code: 'no_provider',
        message: `No configured provider can do ${capability}; add a provider that offers it`,
        details: { capability },
      });
    }
    return providers.map((provider) => ({ provider, model: this.pickModel(provider, capability, options.model) }));
  }

  /** Hears of every provider attempt (for metrics); returns the function that stops it. */
  observe(observer: (capability: Capability, attempt: ProviderAttempt) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private record(attempts: ProviderAttempt[], capability: Capability, attempt: ProviderAttempt): void {
    attempts.push(attempt);
    for (const observer of this.observers) {
      try {
        observer(capability, attempt);
      } catch {
        // An observer's failure is its own.
      }
    }
  }

  async call<C extends Capability>(
    capability: C,
    request: CapabilityRequest<C>,
    options: {
      provider?: string;
      model?: string;
      signal: AbortSignal;
      checkpoint?: StepCheckpoint;
      /** Hears the serving provider's progress, 0..100 of the call (a fallback's provider starts again; the listener keeps it monotone). */
      onProgress?: (percent: number) => void;
    },
  ): Promise<ProviderCallResult<C>> {
    const attempts: ProviderAttempt[] = [];
    const checkpoint = options.checkpoint ?? memoryCheckpoint();
    let lastError: DarkroomError | undefined;
    let realTried = false;
    for (const { provider, model } of this.candidates(capability, options)) {
      // A development stand-in serves where nothing real is configured, never in place of a real provider that failed.
      if (model.placeholder && realTried) continue;
      realTried ||= !model.placeholder;
      const breaker = this.breakers.get(provider.id)!;
      if (!breaker.tryAcquire()) {
        this.record(attempts, capability, { provider: provider.id, model: model.id, outcome: 'skipped', durationMs: 0, error: { code: 'provider_unavailable', message: 'circuit open', retryable: true } });
        continue;
      }
      const started = performance.now();
      try {
        options.signal.throwIfAborted();
        const handler = provider.handlers[capability] as (request: CapabilityRequest<C>, context: ProviderCallContext) => Promise<CapabilityResult<C>>;
        // A handler that cannot stop at once (a libvips pipeline) is not waited for after a cancel: the job ends now.
        const { onProgress } = options;
        const progress = onProgress ? { progress: (percent: number) => (Number.isFinite(percent) ? onProgress(percent) : undefined) } : {};
        const result = await untilAborted(handler(request, { signal: options.signal, model: model.id, checkpoint: scopeCheckpoint(checkpoint, provider.id), ...progress }), options.signal);
        breaker.recordSuccess();
        this.record(attempts, capability, { provider: provider.id, model: model.id, outcome: 'succeeded', durationMs: Math.round(performance.now() - started) });
        return { result, provider: provider.id, model: model.id, attempts };
      } catch (thrown) {
        const error = options.signal.aborted ? toDarkroomError(options.signal.reason ?? thrown) : toDarkroomError(thrown);
        this.record(attempts, capability, {
          provider: provider.id,
          model: model.id,
          outcome: 'failed',
          durationMs: Math.round(performance.now() - started),
          error: { code: error.code, message: error.message, retryable: error.retryable },
        });
        if (options.signal.aborted) {
          breaker.recordNeutral();
          throw error;
        }
        if (!error.retryable) {
          breaker.recordNeutral();
          throw error;
        }
        breaker.recordFailure();
        lastError = error;
      }
    }
    const retryAfterMs = lastError?.details?.retryAfterMs;
    throw new DarkroomError({
      code: 'provider_unavailable',
      message: `Every provider for ${capability} failed or is cooling down; try again later`,
      retryable: true,
      details: { attempts, ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}) },
      cause: lastError,
    });
  }

  models(): ModelListing[] {
    return this.list().flatMap((provider) => provider.models.map((model) => ({ ...model, provider: provider.id })));
  }

  async health(): Promise<ProviderHealthReport[]> {
    return Promise.all(
      this.list().map(async (provider) => {
        const breaker = this.breakers.get(provider.id)!;
        let ok = true;
        let message: string | undefined;
        try {
          const health = (await provider.health?.()) ?? { ok: true };
          ok = health.ok;
          message = health.message;
        } catch (error) {
          ok = false;
          message = error instanceof Error ? error.message : String(error);
        }
        const retryAt = breaker.retryAt();
        return {
          provider: provider.id,
          ok: ok && breaker.state !== 'open',
          circuit: breaker.state,
          capabilities: provider.capabilities,
          models: provider.models.map((model) => model.id),
          ...(message ? { message } : {}),
          ...(retryAt ? { retryAt } : {}),
        };
      }),
    );
  }

  private pickModel(provider: Provider, capability: Capability, requested?: string): ModelInfo {
    if (requested) {
      const model = provider.models.find((candidate) => candidate.id === requested && candidate.capabilities.includes(capability));
      if (!model) throw new DarkroomError({ code: 'invalid_input', message: `Provider ${provider.id} has no model ${JSON.stringify(requested)} for ${capability}` });
      return model;
    }
    return provider.defaultModel(capability)!;
  }
}

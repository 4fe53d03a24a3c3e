export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  cooldownMs: number;
}

/**
 * Stops calling a provider that keeps failing, and tries it again after a cool-down:
 * closed → (threshold failures) → open → (cool-down) → half-open: one trial → closed or open.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: CircuitState = 'closed';

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.current = 'half-open';
    return this.current;
  }

  /** Whether a call may go through now. In half-open state only one trial call is let through. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }

  /** A call that ended without telling anything about the provider's health (e.g. bad input). */
  recordNeutral(): void {
    this.trialInFlight = false;
  }

  /** When an open circuit lets a trial through, for reports. */
  retryAt(): number | undefined {
    return this.current === 'open' ? this.openedAt + this.options.cooldownMs : undefined;
  }
}

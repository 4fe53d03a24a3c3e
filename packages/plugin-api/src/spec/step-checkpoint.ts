/** Values a running step saves so that a re-run of it can pick up where it was (a provider's task id). */
export interface StepCheckpoint {
  get<T = unknown>(key: string): T | undefined;
  /** Persists before it resolves: after it, a crash cannot lose the value. */
  set(key: string, value: unknown): Promise<void>;
}

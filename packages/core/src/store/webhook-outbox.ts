/**
 * The webhook outbox: one row per job that asked to be told when it ends, so a restart loses no
 * notification. Domain types are camelCase with times in epoch milliseconds. Every implementation
 * must pass `describeWebhookOutboxContract` from `@darkroom/core/testing`.
 */

/** One job's webhook. Times are epoch ms. */
export interface JobWebhook {
  jobId: string;
  userId: string;
  url: string;
  /** Delivery attempts taken so far (claims). */
  attempts: number;
  /**
   * Null while the job runs; then when the next attempt is due (or, while an attempt is under way,
   * when its claim lapses); null again once delivered or given up.
   */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  gaveUpAt: number | null;
  /** Why the last attempt failed (at most 500 characters); null after delivery. */
  lastError: string | null;
  createdAt: number;
}

/**
 * Where webhook rows live. A row waits until its job ends (`jobEnded`), then a sender claims each
 * attempt optimistically by its attempt count, so two servers never send the same attempt, and
 * records delivery, a retry time, or giving up. Independent of the job backend: whether a job ended
 * is asked of the job service.
 */
export interface WebhookOutbox {
  /** Names the backend in logs and readiness reports (`sql`). */
  readonly name: string;
  /** Resolves when the store answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;

  /** Registers a job's webhook; a repeat for the same job keeps the first URL. */
  register(webhook: { jobId: string; userId: string; url: string }): Promise<void>;
  /** Webhooks still waiting for their job to end, oldest first, at most `limit`. */
  waiting(limit: number): Promise<JobWebhook[]>;
  /** The job ended: its webhook becomes due at `now` (once; later calls, and calls after delivery, change nothing). */
  jobEnded(jobId: string, now: number): Promise<void>;
  /** Undelivered webhooks whose next attempt is due at `now`, soonest first, at most `limit`. */
  due(now: number, limit: number): Promise<JobWebhook[]>;
  /**
   * Takes attempt `attempts + 1` of an undelivered webhook: until `leaseUntil` it is not due for
   * anyone else. False when `attempts` is no longer current (another sender took it) or it was delivered.
   */
  claim(jobId: string, attempts: number, leaseUntil: number): Promise<boolean>;
  /** Records delivery at `now`; the row is never due again. */
  delivered(jobId: string, now: number): Promise<void>;
  /** Records a failed attempt: due again at `nextAttemptAt`, or given up at `now` when it is null. */
  failed(jobId: string, error: string, nextAttemptAt: number | null, now: number): Promise<void>;
  get(jobId: string): Promise<JobWebhook | undefined>;
  /** Releases connections the store opened itself (not ones it was given). */
  close(): Promise<void>;
}

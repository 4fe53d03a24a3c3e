/** One used idempotency key: which job the first request with it created, and that request's hash. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** A stable hash of what makes two requests "the same" (the job's kind and request body). */
  requestHash: string;
  jobId: string;
  /** Epoch ms. */
  createdAt: number;
}

/**
 * Idempotency keys of job submits (Stripe style: the same key and body answer the same job; another
 * body is refused). Keys are scoped by user: two users may use the same key. A queue that keeps jobs
 * elsewhere than SQL (BullMQ) records keys here, in the shared database, so that a replay reaches the
 * same job from any API process. Every implementation must pass `describeIdempotencyStoreContract`.
 */
export interface IdempotencyStore {
  readonly name: string;
  /**
   * Records `record` unless the user already used the key; answers the record that holds (the new one
   * with `created: true`, or the first one with `created: false`, whatever its hash: comparing hashes
   * is the caller's). Two concurrent reserves of one key: exactly one is created.
   */
  reserve(record: Omit<IdempotencyRecord, 'createdAt'>): Promise<IdempotencyRecord & { created: boolean }>;
  find(userId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Resolves when the store answers; rejects with a typed `unavailable` error that says what to check. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotentJobId } from '../jobs/idempotent-job-id.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';

/** A store under test and how to let go of what it holds. */
export interface IdempotencyStoreSubject {
  store: IdempotencyStore;
  dispose(): Promise<void>;
}

/**
 * The contract every `IdempotencyStore` keeps: a key is held by its first request, per user, also
 * when two requests race for it; replays answer the first record whatever their hash.
 */
export function describeIdempotencyStoreContract(name: string, open: () => Promise<IdempotencyStoreSubject>): void {
  describe(`idempotency store contract: ${name}`, () => {
    let subject: IdempotencyStoreSubject;
    // What this test opened: none when opening failed (that failure is the test's to report).
    const opened: IdempotencyStoreSubject[] = [];
    beforeEach(async () => {
      subject = await open();
      opened.push(subject);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((each) => each.dispose()));
    });

    it('holds a key for its first request and answers it to replays', async () => {
      const { store } = subject;
      const before = Date.now();
      const first = await store.reserve({ userId: 'ann', key: 'k1', requestHash: 'h1', jobId: 'job_1' });
      expect(first).toMatchObject({ userId: 'ann', key: 'k1', requestHash: 'h1', jobId: 'job_1', created: true });
      expect(first.createdAt).toBeGreaterThanOrEqual(before);
      const replay = await store.reserve({ userId: 'ann', key: 'k1', requestHash: 'h2', jobId: 'job_2' });
      expect(replay).toMatchObject({ jobId: 'job_1', requestHash: 'h1', created: false, createdAt: first.createdAt });
      expect(() => idempotentJobId(replay, 'h2')).toThrow(expect.objectContaining({ code: 'idempotency_mismatch', status: 422 }));
      expect(idempotentJobId(replay, 'h1')).toBe('job_1');
      expect(await store.find('ann', 'k1')).toMatchObject({ jobId: 'job_1', requestHash: 'h1' });
    });

    it('scopes keys by user', async () => {
      const { store } = subject;
      await store.reserve({ userId: 'ann', key: 'k1', requestHash: 'h1', jobId: 'job_1' });
      expect(await store.find('bob', 'k1')).toBeUndefined();
      expect(await store.reserve({ userId: 'bob', key: 'k1', requestHash: 'h9', jobId: 'job_9' })).toMatchObject({ jobId: 'job_9', created: true });
    });

    it('creates exactly one record when requests race for a key', async () => {
      const { store } = subject;
      const raced = await Promise.all(Array.from({ length: 8 }, (_, index) => store.reserve({ userId: 'ann', key: 'race', requestHash: 'h', jobId: `job_${index}` })));
      expect(raced.filter((record) => record.created)).toHaveLength(1);
      expect(new Set(raced.map((record) => record.jobId)).size).toBe(1);
    });

    it('answers its readiness probe', async () => {
      await expect(subject.store.ready()).resolves.toBeUndefined();
    });
  });
}

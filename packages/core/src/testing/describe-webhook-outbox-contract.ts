import { describe, expect, it } from 'vitest';
import { createId } from '../store/create-id.js';
import type { WebhookOutbox } from '../store/webhook-outbox.js';
import { openStoreSubject, type StoreContractOptions, type StoreSubject } from './open-store-subject.js';

export type WebhookOutboxSubject = StoreSubject<WebhookOutbox>;

export type WebhookOutboxContractOptions = StoreContractOptions<WebhookOutbox>;

/**
 * The contract every `WebhookOutbox` keeps: a row waits for its job, becomes due once, is claimed
 * once per attempt, and ends delivered or given up. Times are passed in, so the tests use small
 * numbers; `open` is called once per backend and every test works on jobs of its own.
 *
 * @example
 * describeWebhookOutboxContract('sqlite', async () => {
 *   const database = await createDatabase({ kind: 'memory' });
 *   return { store: createSqlWebhookOutbox(database), dispose: () => database.close() };
 * });
 */
export function describeWebhookOutboxContract(name: string, open: () => Promise<WebhookOutboxSubject>, options: WebhookOutboxContractOptions = {}): void {
  describe(`webhook outbox contract: ${name}`, () => {
    let outbox!: WebhookOutbox;
    openStoreSubject(open, options, (opened) => (outbox = opened));

    const ids = (rows: { jobId: string }[]) => rows.map((row) => row.jobId);

    it('waits for the job, becomes due once, is claimed once per attempt, then delivered', async () => {
      const jobId = createId('job');
      const before = Date.now();
      await outbox.register({ jobId, userId: 'u1', url: 'https://example.com/a' });
      await outbox.register({ jobId, userId: 'u1', url: 'https://example.com/other' });
      const registered = await outbox.get(jobId);
      expect(registered).toEqual({ jobId, userId: 'u1', url: 'https://example.com/a', attempts: 0, nextAttemptAt: null, deliveredAt: null, gaveUpAt: null, lastError: null, createdAt: expect.any(Number) });
      expect(registered!.createdAt).toBeGreaterThanOrEqual(before);
      expect(ids(await outbox.waiting(1000))).toContain(jobId);
      expect(ids(await outbox.due(Date.now(), 1000))).not.toContain(jobId);

      await outbox.jobEnded(jobId, 1000);
      await outbox.jobEnded(jobId, 5000);
      expect((await outbox.get(jobId))!.nextAttemptAt).toBe(1000);
      expect(ids(await outbox.waiting(1000))).not.toContain(jobId);
      expect(ids(await outbox.due(999, 1000))).not.toContain(jobId);
      expect(ids(await outbox.due(2000, 1000))).toContain(jobId);

      expect(await outbox.claim(jobId, 0, 9000)).toBe(true);
      expect(await outbox.claim(jobId, 0, 9000)).toBe(false);
      expect(ids(await outbox.due(2000, 1000))).not.toContain(jobId);
      await outbox.failed(jobId, 'HTTP 500', 3000, 2500);
      expect(await outbox.get(jobId)).toMatchObject({ attempts: 1, nextAttemptAt: 3000, lastError: 'HTTP 500', gaveUpAt: null });
      expect(ids(await outbox.due(3000, 1000))).toContain(jobId);
      expect(await outbox.claim(jobId, 1, 9000)).toBe(true);
      await outbox.delivered(jobId, 4000);
      expect(await outbox.get(jobId)).toMatchObject({ attempts: 2, deliveredAt: 4000, nextAttemptAt: null, lastError: null });
      expect(ids(await outbox.due(1e15, 1000))).not.toContain(jobId);
      expect(await outbox.claim(jobId, 2, 9000)).toBe(false);
      await outbox.jobEnded(jobId, 6000);
      expect(await outbox.get(jobId)).toMatchObject({ deliveredAt: 4000, nextAttemptAt: null });
    });

    it('gives up when no retry is left, and keeps a short error', async () => {
      const jobId = createId('job');
      await outbox.register({ jobId, userId: 'u1', url: 'https://example.com/b' });
      await outbox.jobEnded(jobId, 1);
      expect(await outbox.claim(jobId, 0, 2)).toBe(true);
      await outbox.failed(jobId, 'x'.repeat(2000), null, 3);
      const given = await outbox.get(jobId);
      expect(given).toMatchObject({ gaveUpAt: 3, nextAttemptAt: null, attempts: 1 });
      expect(given!.lastError!.length).toBeLessThanOrEqual(500);
      expect(ids(await outbox.waiting(1000))).not.toContain(jobId);
      expect(ids(await outbox.due(1e15, 1000))).not.toContain(jobId);
      expect(await outbox.get(createId('job'))).toBeUndefined();
    });

    it('answers due webhooks soonest first, at most the limit', async () => {
      const jobs = [createId('job'), createId('job'), createId('job')];
      for (const jobId of jobs) await outbox.register({ jobId, userId: 'u2', url: 'https://example.com/c' });
      await outbox.jobEnded(jobs[0]!, 30);
      await outbox.jobEnded(jobs[1]!, 10);
      await outbox.jobEnded(jobs[2]!, 20);
      const due = ids(await outbox.due(40, 1000)).filter((jobId) => jobs.includes(jobId));
      expect(due).toEqual([jobs[1], jobs[2], jobs[0]]);
      expect(await outbox.due(40, 1)).toHaveLength(1);
    });
  });
}

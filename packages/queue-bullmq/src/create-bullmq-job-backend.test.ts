import { describeJobBackendContract, testDatabases } from '@darkroom/core/testing';
import { describe, it } from 'vitest';
import { createBullmqJobBackend } from './create-bullmq-job-backend.js';
import { deleteKeys, testRedis, uniquePrefix } from './testing-redis.js';

// The job contract on BullMQ (the machine's Redis, a key prefix of each test's own, deleted after it)
// with checkpoints and idempotency keys in PostgreSQL (a schema of each test's own).
const redisUrl = await testRedis();
const postgres = (await testDatabases()).find((database) => database.name === 'postgres');

if (redisUrl && postgres) {
  describeJobBackendContract('bullmq on Redis with PostgreSQL checkpoints', async () => {
    const database = await postgres.open();
    const prefix = uniquePrefix();
    const backend = createBullmqJobBackend({ connection: redisUrl, prefix, database });
    return {
      backend,
      async dispose() {
        await backend.queue.close();
        await deleteKeys(redisUrl, prefix);
        await database.dispose();
      },
    };
  });
} else {
  describe('job contract: bullmq', () => {
    it.skip(`needs Redis and PostgreSQL (Redis: ${redisUrl ? 'yes' : 'no'}, PostgreSQL: ${postgres ? 'yes' : 'no'})`, () => undefined);
  });
}

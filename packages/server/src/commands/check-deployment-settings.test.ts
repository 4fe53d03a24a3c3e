import { testDatabases } from '@darkroom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeploymentSettings } from './check-deployment-settings.js';

for (const backend of await testDatabases()) {
  describe(`deployment settings on ${backend.name}`, () => {
    let database: Awaited<ReturnType<typeof backend.open>>;
    beforeAll(async () => {
      database = await backend.open();
    });
    afterAll(() => database.dispose());
    const distributed = { queue: 'bullmq', conversations: 'mongodb', images: 'cloudinary' };

    it('records the first process\'s settings, accepts the same, and refuses a process set up otherwise, naming what to set', async () => {
      await checkDeploymentSettings(database, distributed);
      await checkDeploymentSettings(database, distributed);
      const refusal = await checkDeploymentSettings(database, { queue: 'sql', conversations: 'sql', images: 'cloudinary' }).catch((error: Error) => error);
      expect(refusal).toBeInstanceOf(Error);
      expect((refusal as Error).message).toMatch(/queue: the other processes use bullmq, this one sql \(set DARKROOM_REDIS_URL as on them\)/);
      expect((refusal as Error).message).toMatch(/conversations: the other processes use mongodb, this one sql \(set DARKROOM_MONGODB_URL as on them\)/);
      expect((refusal as Error).message).toMatch(/--change-deployment/);
    });

    it('records new settings when the deployment changes on purpose', async () => {
      const local = { queue: 'sql', conversations: 'sql', images: 'local disk' };
      await checkDeploymentSettings(database, local, { change: true });
      await checkDeploymentSettings(database, local);
      await expect(checkDeploymentSettings(database, distributed)).rejects.toThrow(/queue: the other processes use sql, this one bullmq/);
    });
  });
}

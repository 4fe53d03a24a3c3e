import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../testing/test-databases.js';
import type { DatabaseSchema } from './database-schema.js';
import { migrationProvider } from './migrations.js';

const storedImage = { asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 3, mime_type: 'image/png' };
const renamedImage = { assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 3, mimeType: 'image/png' };

const job = (id: string, kind: string, result: unknown) => ({
  id, user_id: 'u1', kind, input: '{}', state: 'succeeded', attempt: 1, max_attempts: 3, stalls: 0, progress: 100, result: JSON.stringify(result), error: null,
  lease_owner: null, lease_expires_at: null, run_after: 0, deadline_at: null, cancel_requested: 0, idempotency_key: null, created_at: 1, updated_at: 1, started_at: 1, finished_at: 2, claimed_at: null,
});
const step = (jobId: string, key: string, output: unknown, position: number) => ({ job_id: jobId, step_key: key, status: 'succeeded', attempt: 1, started_at: 1, finished_at: 2, output: JSON.stringify(output), error: null, position, state: null });

/**
 * Runs the data migrations from `first` on again, as on upgrade, after the rows an older version wrote
 * were inserted; with `last`, stops there.
 */
async function migrateAgain(backend: TestDatabase, db: Kysely<DatabaseSchema>, first: string, last?: string): Promise<void> {
  await sql`delete from kysely_migration where name >= ${first}`.execute(db);
  const schema = backend.name === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  expect((last ? await migrator.migrateTo(last) : await migrator.migrateToLatest()).error).toBeUndefined();
}

const results = async (db: Kysely<DatabaseSchema>) => Object.fromEntries((await db.selectFrom('jobs').select(['id', 'result']).execute()).map((row) => [row.id, JSON.parse(row.result!)]));
const outputs = async (db: Kysely<DatabaseSchema>) => Object.fromEntries((await db.selectFrom('job_steps').select(['job_id', 'step_key', 'output']).execute()).map((row) => [`${row.job_id} ${row.step_key}`, JSON.parse(row.output!)]));

describe.each(await testDatabases())('data migrations on $name', (backend) => {
  it('0009 rewrites stored feature and chat results and their feature steps, not other kinds', async () => {
    const database = await backend.open();
    try {
      const { db } = database;
      await db.insertInto('jobs').values([job('job_f', 'feature', { feature: 'upscale', images: [storedImage] }), job('job_c', 'chat', { plan: {}, images: [{ ...storedImage, feature: 'paint' }] }), job('job_p', 'poster', { images: [storedImage] })]).execute();
      await db.insertInto('job_steps').values([step('job_f', 'run:upscale', { images: [storedImage] }, 0), step('job_c', 'plan', { steps: [{ image: { asset_id: 'ast_0' } }] }, 1)]).execute();
      await migrateAgain(backend, db, '0009_camel_case_result_images', '0009_camel_case_result_images');
      expect(await results(db)).toEqual({ job_f: { feature: 'upscale', images: [renamedImage] }, job_c: { plan: {}, images: [{ ...renamedImage, feature: 'paint' }] }, job_p: { images: [storedImage] } });
      expect(await outputs(db)).toEqual({ 'job_f run:upscale': { images: [renamedImage] }, 'job_c plan': { steps: [{ image: { asset_id: 'ast_0' } }] } });
    } finally {
      await database.dispose();
    }
  });

  it("0010 rewrites chat jobs' plans, in their results and their plan steps, keeping the features' inputs", async () => {
    const database = await backend.open();
    try {
      const { db } = database;
      const storedPlan = {
        intents: [{ intent: 'image_generate', feature: 'paint', confidence: 0.9, parameters: { negative_prompt: 'blur' } }],
        confidence: 0.9, detector: 'rule-based', language: 'en',
        steps: [
          { feature: 'paint', intent: 'image_generate', confidence: 0.9, input: { prompt: 'a boat', negative_prompt: 'blur' } },
          { feature: 'erase', intent: 'object_removal', confidence: 0.8, input: { mask: { asset_id: 'ast_mask' } }, image: { asset_id: 'ast_photo' } },
        ],
        refined_prompt: 'a boat', negative_prompt: 'blur',
      };
      const { refined_prompt: refinedPrompt, negative_prompt: negativePrompt, ...rest } = storedPlan;
      const plan = { ...rest, steps: [storedPlan.steps[0], { ...storedPlan.steps[1], image: { assetId: 'ast_photo' } }], refinedPrompt, negativePrompt };
      const images = [{ ...renamedImage, feature: 'paint' }];
      // An upscale asked of the session's image: no prompt, only the step's image to rename.
      const imageOnly = { intents: [], confidence: 0.8, detector: 'rule-based', language: 'en', steps: [{ feature: 'enlarge', intent: 'image_upscale', confidence: 0.8, input: { scale: 2 }, image: { asset_id: 'ast_photo' } }] };
      await db.insertInto('jobs').values([
        job('job_c', 'chat', { plan: storedPlan, images }),
        job('job_u', 'chat', { plan: imageOnly, images }),
        job('job_n', 'chat', { plan, images }),
        job('job_p', 'poster', { plan: storedPlan }),
      ]).execute();
      await db.insertInto('job_steps').values([step('job_c', 'plan', storedPlan, 1), step('job_c', 'step-0:paint', { images: [renamedImage], metadata: { negative_prompt: 'kept' } }, 2), step('job_p', 'plan', storedPlan, 1)]).execute();
      await migrateAgain(backend, db, '0010_camel_case_chat_plans', '0010_camel_case_chat_plans');
      expect(await results(db)).toEqual({
        job_c: { plan, images },
        job_u: { plan: { ...imageOnly, steps: [{ ...imageOnly.steps[0], image: { assetId: 'ast_photo' } }] }, images },
        job_n: { plan, images },
        job_p: { plan: storedPlan },
      });
      expect(await outputs(db)).toEqual({ 'job_c plan': plan, 'job_c step-0:paint': { images: [renamedImage], metadata: { negative_prompt: 'kept' } }, 'job_p plan': storedPlan });
    } finally {
      await database.dispose();
    }
  });
});

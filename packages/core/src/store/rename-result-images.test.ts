import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/test-databases.js';
import { migrationProvider } from './migrations.js';
import { renameResultImages } from './rename-result-images.js';

const stored = { asset_id: 'ast_1', gallery_id: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 3, mime_type: 'image/png' };
const renamed = { assetId: 'ast_1', galleryId: 'img_1', url: '/v1/assets/ast_1', width: 2, height: 3, mimeType: 'image/png' };

describe('renameResultImages', () => {
  it('renames the image fields of a feature result and of a chat result, keeping the rest', () => {
    const feature = { feature: 'upscale', images: [stored], provider: 'local', model: 'm', metadata: { gallery_id: 'kept' }, attempts: [] };
    expect(JSON.parse(renameResultImages(JSON.stringify(feature)))).toEqual({ ...feature, images: [renamed] });
    const chat = { plan: { steps: [{ image: { asset_id: 'ast_0' } }] }, images: [{ ...stored, feature: 'paint' }] };
    expect(JSON.parse(renameResultImages(JSON.stringify(chat)))).toEqual({ ...chat, images: [{ ...renamed, feature: 'paint' }] });
  });

  it('leaves anything else as it is', () => {
    for (const text of ['null', '{"ok":true}', '{"images":"none"}', JSON.stringify({ images: [renamed] })]) expect(renameResultImages(text)).toBe(text);
  });
});

describe.each(await testDatabases())('migration 0009 on $name', (backend) => {
  it('rewrites stored feature and chat results and their feature steps, not other kinds', async () => {
    const database = await backend.open();
    try {
      const { db } = database;
      // Rows written by an older version, then 0009 run again as on upgrade.
      await sql`delete from kysely_migration where name = '0009_camel_case_result_images'`.execute(db);
      const schema = backend.name === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema : undefined;
      const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
      const job = (id: string, kind: string, result: unknown) => ({
        id, user_id: 'u1', kind, input: '{}', state: 'succeeded', attempt: 1, max_attempts: 3, stalls: 0, progress: 100, result: JSON.stringify(result), error: null,
        lease_owner: null, lease_expires_at: null, run_after: 0, deadline_at: null, cancel_requested: 0, idempotency_key: null, created_at: 1, updated_at: 1, started_at: 1, finished_at: 2, claimed_at: null,
      });
      await db.insertInto('jobs').values([job('job_f', 'feature', { feature: 'upscale', images: [stored] }), job('job_c', 'chat', { plan: {}, images: [{ ...stored, feature: 'paint' }] }), job('job_p', 'poster', { images: [stored] })]).execute();
      await db.insertInto('job_steps').values([
        { job_id: 'job_f', step_key: 'run:upscale', status: 'succeeded', attempt: 1, started_at: 1, finished_at: 2, output: JSON.stringify({ images: [stored] }), error: null, position: 0, state: null },
        { job_id: 'job_c', step_key: 'plan', status: 'succeeded', attempt: 1, started_at: 1, finished_at: 2, output: JSON.stringify({ steps: [{ image: { asset_id: 'ast_0' } }] }), error: null, position: 1, state: null },
      ]).execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const results = Object.fromEntries((await db.selectFrom('jobs').select(['id', 'result']).execute()).map((row) => [row.id, JSON.parse(row.result!)]));
      expect(results).toEqual({ job_f: { feature: 'upscale', images: [renamed] }, job_c: { plan: {}, images: [{ ...renamed, feature: 'paint' }] }, job_p: { images: [stored] } });
      const outputs = Object.fromEntries((await db.selectFrom('job_steps').select(['step_key', 'output']).execute()).map((row) => [row.step_key, JSON.parse(row.output!)]));
      expect(outputs).toEqual({ 'run:upscale': { images: [renamed] }, plan: { steps: [{ image: { asset_id: 'ast_0' } }] } });
    } finally {
      await database.dispose();
    }
  });
});

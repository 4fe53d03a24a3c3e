import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from './kysely-runtime.js';
import { renameChatPlanText } from './rename-chat-plan.js';
import { renameResultImages } from './rename-result-images.js';

/** Schema (and data) migrations, in order. Written with the portable subset of kysely's schema builder and of SQL. */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('title', 'text')
        .addColumn('latest_asset_id', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('session_id', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('status', 'text')
        .addColumn('asset_id', 'text')
        .addColumn('job_id', 'text')
        .addColumn('data', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('messages_session').on('messages').columns(['session_id', 'id']).execute();

      await db.schema
        .createTable('assets')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('sha256', 'text', (column) => column.notNull())
        .addColumn('mime_type', 'text', (column) => column.notNull())
        .addColumn('size', 'bigint', (column) => column.notNull())
        .addColumn('width', 'integer', (column) => column.notNull())
        .addColumn('height', 'integer', (column) => column.notNull())
        .addColumn('effect_key', 'text', (column) => column.unique())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('assets_sha256').on('assets').column('sha256').execute();

      await db.schema
        .createTable('gallery')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('asset_id', 'text', (column) => column.notNull())
        .addColumn('image_url', 'text', (column) => column.notNull())
        .addColumn('refined_prompt', 'text')
        .addColumn('intent', 'text')
        .addColumn('feature', 'text')
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('seed', 'bigint')
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('session_id', 'text')
        .addColumn('metadata', 'text', (column) => column.notNull())
        .addColumn('effect_key', 'text', (column) => column.unique())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('gallery_user').on('gallery').columns(['user_id', 'deleted_at', 'id']).execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('input', 'text', (column) => column.notNull())
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('max_attempts', 'integer', (column) => column.notNull())
        .addColumn('stalls', 'integer', (column) => column.notNull())
        .addColumn('progress', 'real', (column) => column.notNull())
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('run_after', 'bigint', (column) => column.notNull())
        .addColumn('deadline_at', 'bigint')
        .addColumn('cancel_requested', 'integer', (column) => column.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('jobs_claim').on('jobs').columns(['state', 'run_after']).execute();
      await db.schema.createIndex('jobs_lease').on('jobs').columns(['state', 'lease_expires_at']).execute();

      await db.schema
        .createTable('job_steps')
        .addColumn('job_id', 'text', (column) => column.notNull())
        .addColumn('step_key', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('started_at', 'bigint', (column) => column.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('output', 'text')
        .addColumn('error', 'text')
        .addColumn('position', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('job_steps_pk', ['job_id', 'step_key'])
        .execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('request_hash', 'text', (column) => column.notNull())
        .addColumn('job_id', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
        .execute();
    },
  },
  '0002_step_state': {
    async up(db: Kysely<unknown>) {
      // What a step must remember across a crash before it finishes, e.g. a provider's task id.
      await db.schema.alterTable('job_steps').addColumn('state', 'text').execute();
    },
  },
  '0003_remote_assets': {
    async up(db: Kysely<unknown>) {
      // Where a remote storage (Cloudinary) keeps the file, and its id there.
      await db.schema.alterTable('assets').addColumn('remote_url', 'text').execute();
      await db.schema.alterTable('assets').addColumn('remote_id', 'text').execute();
    },
  },
  '0004_job_webhooks': {
    async up(db: Kysely<unknown>) {
      // An outbox of "tell this URL when the job ends", so a restart loses no notification.
      await db.schema
        .createTable('job_webhooks')
        .addColumn('job_id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull())
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('delivered_at', 'bigint')
        .addColumn('gave_up_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('job_webhooks_pending').on('job_webhooks').columns(['delivered_at', 'gave_up_at', 'next_attempt_at']).execute();
    },
  },
  '0005_message_pages': {
    async up(db: Kysely<unknown>) {
      // Pages walk a session in conversation order; change feeds read it in the order written.
      await db.schema.createIndex('messages_session_created').on('messages').columns(['session_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('messages_session_updated').on('messages').columns(['session_id', 'updated_at', 'id']).execute();
      await db.schema.dropIndex('messages_session').execute();
    },
  },
  '0006_fair_job_claims': {
    async up(db: Kysely<unknown>) {
      // Claims share the workers between users: per-user queued and running counts, each user's oldest
      // due job, and when a user was last served (the latest claim of any of their jobs).
      await db.schema.alterTable('jobs').addColumn('claimed_at', 'bigint').execute();
      await db.schema.createIndex('jobs_user_state').on('jobs').columns(['state', 'user_id', 'run_after']).execute();
      await db.schema.createIndex('jobs_user_claimed').on('jobs').columns(['user_id', 'claimed_at']).execute();
    },
  },
  '0007_claim_sequence': {
    async up(db: Kysely<unknown>) {
      // Each claim's mark is strictly after the latest one (any user's): a cheap max over this index.
      await db.schema.createIndex('jobs_claimed_at').on('jobs').column('claimed_at').execute();
    },
  },
  '0008_job_fences': {
    async up(db: Kysely<unknown>) {
      // Which claim of a job may write its checkpoints: a worker that lost its lease cannot, even when
      // the queue lives elsewhere (BullMQ) and only the checkpoints are in SQL.
      await db.schema
        .createTable('job_fences')
        .addColumn('job_id', 'text', (column) => column.primaryKey())
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('owner', 'text', (column) => column.notNull())
        .execute();
    },
  },
  '0009_camel_case_result_images': {
    async up(db: Kysely<unknown>) {
      // Feature and chat results, and the feature steps they reuse, name their images in camelCase
      // (assetId, galleryId, mimeType): rewrite those stored before, a page at a time.
      const marker = '%"gallery_id"%';
      for (let after = ''; ; ) {
        const { rows } = await sql<{ id: string; result: string }>`
          select id, result from jobs where kind in ('feature', 'chat') and result like ${marker} and id > ${after} order by id limit 500`.execute(db);
        for (const row of rows) await sql`update jobs set result = ${renameResultImages(row.result)} where id = ${row.id}`.execute(db);
        if (rows.length < 500) break;
        after = rows[rows.length - 1]!.id;
      }
      for (let after = { jobId: '', key: '' }; ; ) {
        const { rows } = await sql<{ job_id: string; step_key: string; output: string }>`
          select s.job_id, s.step_key, s.output from job_steps s join jobs j on j.id = s.job_id
          where j.kind in ('feature', 'chat') and s.output like ${marker} and (s.job_id, s.step_key) > (${after.jobId}, ${after.key})
          order by s.job_id, s.step_key limit 500`.execute(db);
        for (const row of rows) {
          await sql`update job_steps set output = ${renameResultImages(row.output)} where job_id = ${row.job_id} and step_key = ${row.step_key}`.execute(db);
        }
        if (rows.length < 500) break;
        after = { jobId: rows[rows.length - 1]!.job_id, key: rows[rows.length - 1]!.step_key };
      }
    },
  },
  '0010_camel_case_chat_plans': {
    async up(db: Kysely<unknown>) {
      // A chat job's plan (its result's `plan`, its `plan` step's output) names its prompts and a step's
      // image in camelCase (refinedPrompt, negativePrompt, image.assetId): rewrite those stored before,
      // a page at a time. A step's input is the feature's own input format and keeps its names.
      const [refined, negative, asset] = ['%"refined_prompt"%', '%"negative_prompt"%', '%"asset_id"%'];
      for (let after = ''; ; ) {
        const { rows } = await sql<{ id: string; result: string }>`
          select id, result from jobs where kind = 'chat' and (result like ${refined} or result like ${negative} or result like ${asset}) and id > ${after} order by id limit 500`.execute(db);
        for (const row of rows) await sql`update jobs set result = ${renameChatPlanText(row.result)} where id = ${row.id}`.execute(db);
        if (rows.length < 500) break;
        after = rows[rows.length - 1]!.id;
      }
      for (let after = ''; ; ) {
        const { rows } = await sql<{ job_id: string; output: string }>`
          select s.job_id, s.output from job_steps s join jobs j on j.id = s.job_id
          where j.kind = 'chat' and s.step_key = 'plan' and (s.output like ${refined} or s.output like ${negative} or s.output like ${asset}) and s.job_id > ${after}
          order by s.job_id limit 500`.execute(db);
        for (const row of rows) await sql`update job_steps set output = ${renameChatPlanText(row.output)} where job_id = ${row.job_id} and step_key = 'plan'`.execute(db);
        if (rows.length < 500) break;
        after = rows[rows.length - 1]!.job_id;
      }
    },
  },
  '0011_deployment_settings': {
    async up(db: Kysely<unknown>) {
      // What every process on this database must agree on (the job queue, where conversations live,
      // where images go), recorded by the first process and checked by the others.
      await db.schema
        .createTable('deployment_settings')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('value', 'text', (column) => column.notNull())
        .addColumn('recorded_at', 'bigint', (column) => column.notNull())
        .execute();
    },
  },
  '0012_job_lists': {
    async up(db: Kysely<unknown>) {
      // GET /v1/jobs: a user's jobs newest first (ids sort by creation time), a page at a time.
      await db.schema.createIndex('jobs_user_id').on('jobs').columns(['user_id', 'id']).execute();
    },
  },
  '0013_session_lists': {
    async up(db: Kysely<unknown>) {
      // GET /api/v1/chat/sessions: a user's sessions most recently active first, a page at a time;
      // sessions gain a description. Nothing read sessions by creation time.
      await db.schema.alterTable('sessions').addColumn('description', 'text').execute();
      await db.schema.createIndex('sessions_user_updated').on('sessions').columns(['user_id', 'updated_at', 'id']).execute();
      await db.schema.dropIndex('sessions_user').execute();
    },
  },
  '0014_deleted_sessions': {
    async up(db: Kysely<unknown>) {
      // A deleted session's id, owner and time (nothing it held), so that a replayed Idempotency-Key,
      // from which a session id is derived, cannot create it again.
      await db.schema
        .createTable('deleted_sessions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('deleted_at', 'bigint', (column) => column.notNull())
        .execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

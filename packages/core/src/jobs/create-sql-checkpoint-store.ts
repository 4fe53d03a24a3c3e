import type { Kysely, Selectable } from 'kysely';
import { sql } from '../store/kysely-runtime.js';
import type { SerializedError } from '@darkroom/plugin-api';
import type { Database } from '../store/create-database.js';
import type { DatabaseSchema, JobStepsTable } from '../store/database-schema.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import { probeDatabase } from '../store/probe-database.js';
import type { CheckpointStore, StepLease } from './checkpoint-store.js';
import type { StepRecord } from './job-types.js';
import { leaseLostError } from './lease-lost-error.js';

const toStep = (row: Selectable<JobStepsTable>): StepRecord => ({
  jobId: row.job_id,
  key: row.step_key,
  status: row.status as StepRecord['status'],
  attempt: row.attempt,
  startedAt: Number(row.started_at),
  finishedAt: row.finished_at === null ? undefined : Number(row.finished_at),
  output: fromJsonColumn(row.output),
  error: fromJsonColumn<SerializedError>(row.error),
  state: fromJsonColumn<Record<string, unknown>>(row.state) ?? {},
});

/**
 * Step checkpoints in the `job_steps` table, fenced through `job_fences` (one row per job: the claim
 * that may write). Each write is one statement whose condition is the fence, so a write under a lost
 * claim changes nothing and is refused with `leaseLostError`. Works beside any queue: the SQL one
 * (same database) or BullMQ (checkpoints in PostgreSQL shared by every worker).
 *
 * @example
 * const checkpoints = createSqlCheckpointStore(await createDatabase({ kind: 'postgres', connectionString }));
 */
export function createSqlCheckpointStore(database: Pick<Database, 'db'>): CheckpointStore {
  const { db } = database;
  const holds = (jobId: string, lease: StepLease) => (eb: any) =>
    eb.exists(
      eb
        .selectFrom('job_fences')
        .select(sql<number>`1`.as('held'))
        .where('job_fences.job_id', '=', jobId)
        .where('job_fences.attempt', '=', lease.attempt)
        .where('job_fences.owner', '=', lease.owner),
    );
  const written = (result: { numUpdatedRows: bigint } | { numInsertedOrUpdatedRows?: bigint }) =>
    Number('numUpdatedRows' in result ? result.numUpdatedRows : (result.numInsertedOrUpdatedRows ?? 0n)) > 0;

  /**
   * Writes a step's row under the lease: a new one (attempt 1, after the job's other steps), or the
   * existing one with its attempt counted again; what it saved (`state`) is kept. Refused with
   * `leaseLostError` when the lease no longer holds the job.
   */
  const writeStep = async (
    jobId: string,
    key: string,
    lease: StepLease,
    step: { status: StepRecord['status']; startedAt: number; finishedAt: number | null; output: string | null; error: string | null },
  ) => {
    const result = await db
      .insertInto('job_steps')
      .columns(['job_id', 'step_key', 'status', 'attempt', 'started_at', 'finished_at', 'output', 'error', 'position', 'state'])
      .expression(
        db
          .selectNoFrom([
            sql<string>`${jobId}`.as('job_id'),
            sql<string>`${key}`.as('step_key'),
            sql<string>`${step.status}`.as('status'),
            sql<number>`1`.as('attempt'),
            sql<number>`${step.startedAt}`.as('started_at'),
            sql<number | null>`${step.finishedAt}`.as('finished_at'),
            sql<string | null>`${step.output}`.as('output'),
            sql<string | null>`${step.error}`.as('error'),
            sql<number>`(select count(*) from job_steps where job_id = ${jobId})`.as('position'),
            sql<null>`null`.as('state'),
          ])
          .where(holds(jobId, lease)),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['job_id', 'step_key'])
          .doUpdateSet({ status: step.status, attempt: sql<number>`job_steps.attempt + 1`, started_at: step.startedAt, finished_at: step.finishedAt, output: step.output, error: step.error })
          .where(holds(jobId, lease)),
      )
      .executeTakeFirst();
    if (!written(result)) throw leaseLostError(jobId);
  };

  return {
    name: 'sql',
    async fence(jobId, lease) {
      const taken = await db
        .insertInto('job_fences')
        .values({ job_id: jobId, attempt: lease.attempt, owner: lease.owner })
        .onConflict((conflict) =>
          conflict
            .column('job_id')
            .doUpdateSet({ attempt: (eb) => eb.ref('excluded.attempt'), owner: (eb) => eb.ref('excluded.owner') })
            .where('job_fences.attempt', '<', lease.attempt),
        )
        .executeTakeFirst();
      // Written: the checkpoints are this claim's. Not written: this claim holds them already, or a newer one does.
      if (written(taken)) return;
      const fence = await db.selectFrom('job_fences').select(['attempt', 'owner']).where('job_id', '=', jobId).executeTakeFirst();
      if (fence?.attempt !== lease.attempt || fence.owner !== lease.owner) throw leaseLostError(jobId);
    },
    async steps(jobId) {
      const rows = await db.selectFrom('job_steps').selectAll().where('job_id', '=', jobId).orderBy('position').execute();
      return rows.map(toStep);
    },
    async startStep(jobId, key, lease) {
      await writeStep(jobId, key, lease, { status: 'running', startedAt: Date.now(), finishedAt: null, output: null, error: null });
      const row = await db.selectFrom('job_steps').selectAll().where('job_id', '=', jobId).where('step_key', '=', key).executeTakeFirstOrThrow();
      return toStep(row);
    },
    async recordStep(jobId, key, lease, step) {
      const succeeded = 'output' in step.outcome;
      await writeStep(jobId, key, lease, {
        status: succeeded ? 'succeeded' : 'failed',
        startedAt: step.startedAt,
        finishedAt: Date.now(),
        output: succeeded ? toJsonColumn((step.outcome as { output: unknown }).output) : null,
        error: succeeded ? null : toJsonColumn((step.outcome as { error: SerializedError }).error),
      });
    },
    async saveStepState(jobId, key, lease, state) {
      const result = await db
        .updateTable('job_steps')
        .set({ state: toJsonColumn(state) })
        .where('job_id', '=', jobId)
        .where('step_key', '=', key)
        .where(holds(jobId, lease))
        .executeTakeFirst();
      if (!written(result)) throw leaseLostError(jobId);
    },
    async finishStep(jobId, key, lease, outcome) {
      const succeeded = 'output' in outcome;
      const result = await db
        .updateTable('job_steps')
        .set({
          status: succeeded ? 'succeeded' : 'failed',
          finished_at: Date.now(),
          output: succeeded ? toJsonColumn(outcome.output) : null,
          error: succeeded ? null : toJsonColumn(outcome.error),
        })
        .where('job_id', '=', jobId)
        .where('step_key', '=', key)
        .where(holds(jobId, lease))
        .executeTakeFirst();
      if (!written(result)) throw leaseLostError(jobId);
    },
    ready: () => probeDatabase(db as Kysely<DatabaseSchema>, 'job checkpoints'),
    close: async () => undefined,
  };
}

import type { Database } from '@darkroom/core';

/** What every API server and worker on one database must agree on, as names and values (no secrets). */
export type DeploymentSettings = Record<'queue' | 'conversations' | 'images', string>;

/** The setting an operator changes to fix each disagreement. */
const fixes: Record<keyof DeploymentSettings, string> = {
  queue: 'DARKROOM_REDIS_URL',
  conversations: 'DARKROOM_MONGODB_URL',
  images: 'CLOUDINARY_URL (or the same shared DARKROOM_DATA_DIR)',
};

/**
 * Records this deployment's settings in the shared database the first time, and refuses a process
 * whose settings differ from the recorded ones (a worker started without DARKROOM_REDIS_URL would
 * never see the API's jobs; one without DARKROOM_MONGODB_URL would fail every chat turn) with an
 * error naming each setting to change. `change: true` (`--change-deployment`, with every other
 * process stopped) records the new settings instead.
 */
export async function checkDeploymentSettings(database: Pick<Database, 'db'>, settings: DeploymentSettings, options: { change?: boolean } = {}): Promise<void> {
  const now = Date.now();
  const names = Object.keys(settings) as (keyof DeploymentSettings)[];
  if (options.change) {
    for (const name of names) {
      await database.db
        .insertInto('deployment_settings')
        .values({ name, value: settings[name], recorded_at: now })
        .onConflict((conflict) => conflict.column('name').doUpdateSet({ value: settings[name], recorded_at: now }))
        .execute();
    }
    return;
  }
  for (const name of names) {
    await database.db.insertInto('deployment_settings').values({ name, value: settings[name], recorded_at: now }).onConflict((conflict) => conflict.column('name').doNothing()).execute();
  }
  const recorded = await database.db.selectFrom('deployment_settings').select(['name', 'value']).execute();
  const differences = recorded
    .filter((row) => row.name in settings && settings[row.name as keyof DeploymentSettings] !== row.value)
    .map((row) => `${row.name}: the other processes use ${row.value}, this one ${settings[row.name as keyof DeploymentSettings]} (set ${fixes[row.name as keyof DeploymentSettings]} as on them)`);
  if (differences.length > 0) {
    throw new Error(
      `Invalid configuration: this database belongs to a deployment set up differently; ${differences.join('; ')}. To change the deployment on purpose, stop every process and start one with --change-deployment`,
    );
  }
}

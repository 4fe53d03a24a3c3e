import { jsonLogger } from '../middleware/request-context.js';
import { readServerConfig } from '../read-server-config.js';
import { createConfiguredEngine } from './create-configured-engine.js';
import { shutDownOnSignal } from './shut-down-on-signal.js';

/**
 * `darkroom worker`: runs jobs only (no HTTP) with `concurrency` at once, for API servers
 * (`darkroom serve --api-only`) on the same database: PostgreSQL (with Redis for BullMQ) across
 * machines, or the SQLite file under the same data directory on one machine. SIGTERM drains it: it takes no new job, lets
 * running ones finish for up to 25 s, and hands the rest back to the queue.
 */
export async function runWorker(options: { configFile?: string; concurrency: number; changeDeployment?: boolean }): Promise<void> {
  const config = readServerConfig(process.env, options.configFile ? { configFile: options.configFile } : {});
  const { engine, deployment, closeServices } = await createConfiguredEngine(config, { concurrency: options.concurrency }, { changeDeployment: options.changeDeployment ?? false });
  // The runner's timers do not hold the process open (an embedded engine must not keep its host
  // alive); a worker has nothing else to do, so it stays until a signal stops it.
  const keepAlive = setInterval(() => undefined, 60_000);
  // Before it says it runs: a SIGTERM sent on that line must drain it, not kill it (the default action).
  shutDownOnSignal(engine, {
    after: async () => {
      clearInterval(keepAlive);
      await closeServices();
    },
  });
  jsonLogger({
    level: 'info',
    message: 'darkroom worker running',
    concurrency: options.concurrency,
    ...deployment,
    images: config.cloudinary ? 'cloudinary' : `local disk under ${config.dataDir}`,
    ...(deployment.database === 'sqlite' ? { data_dir: config.dataDir, note: 'SQLite: workers and API servers on this machine only' } : {}),
    providers: [...new Set(engine.models().map((model) => model.provider))],
    ...(config.configFile ? { config_file: config.configFile } : {}),
  });
}

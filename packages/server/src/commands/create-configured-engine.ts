import { join } from 'node:path';
import { createDatabase, createPostgresEventTransport, defaultRunnerOptions, type DarkroomError, type Engine, type EngineOptions, type EventTransport } from '@darkroom/core';
import { createDefaultEngine } from '../create-default-engine.js';
import { checkDeploymentSettings } from './check-deployment-settings.js';
import { jsonLogger } from '../middleware/request-context.js';
import type { ServerConfig } from '../read-server-config.js';

/** What a deployment's settings chose, for the start-up log line. */
export interface Deployment {
  database: 'sqlite' | 'postgres';
  queue: 'sql' | 'bullmq';
  events: EventTransport['name'];
  conversations: 'sql' | 'mongodb';
}

/**
 * The engine a `darkroom` command runs, from its settings: every bundled feature, the providers with
 * keys, and where state lives:
 * - nothing set: SQLite and files under the data directory, jobs and events in this process;
 * - `DARKROOM_DATABASE_URL`: PostgreSQL for everything, jobs in its SQL queue, events over LISTEN/NOTIFY;
 * - plus `DARKROOM_REDIS_URL`: jobs on BullMQ and events over Redis pub/sub (checkpoints stay in PostgreSQL);
 * - plus `DARKROOM_MONGODB_URL`: chat sessions and messages in MongoDB.
 * `runner` says whether and how this process runs jobs. `closeServices` closes the connections opened
 * here, after `engine.close()` (the engine leaves what it was given open).
 * Rejects with the failing part's `unavailable` error when a service does not answer at start.
 */
export async function createConfiguredEngine(config: ServerConfig, runner: EngineOptions['runner'], options: { changeDeployment?: boolean } = {}): Promise<{ engine: Engine; deployment: Deployment; closeServices: () => Promise<void> }> {
  const opened: Array<() => Promise<void>> = [];
  const closeOpened = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  // What this process uses, as every process on a shared database must agree (see checkDeploymentSettings).
  const shape = {
    queue: config.redisUrl ? 'bullmq' : 'sql',
    conversations: config.mongodbUrl ? 'mongodb' : 'sql',
    images: config.cloudinary ? 'cloudinary' : 'local disk',
  } as const;
  try {
    const distributed: Pick<EngineOptions, 'store' | 'jobBackend' | 'events' | 'stores'> = {};
    if (!config.databaseUrl) distributed.store = { kind: 'sqlite', filename: join(config.dataDir, 'darkroom.db'), synchronous: config.sqliteSynchronous };
    if (config.databaseUrl) {
      const database = await createDatabase({ kind: 'postgres', connectionString: config.databaseUrl });
      opened.push(() => database.close());
      distributed.store = database;
      await checkDeploymentSettings(database, shape, { change: options.changeDeployment ?? false });
      // Connection trouble is logged as the JSON lines the rest of the log is, not as a process warning.
      const onError = (error: DarkroomError) => jsonLogger({ level: 'warn', message: error.message, code: error.code, ...(error.details ? { details: error.details } : {}) });
      // BullMQ/ioredis and the MongoDB driver load only when their settings are given.
      const bullmq = config.redisUrl ? await import('@darkroom/queue-bullmq') : undefined;
      const events = config.redisUrl && bullmq ? bullmq.createRedisEventTransport({ url: config.redisUrl, onError }) : createPostgresEventTransport({ connectionString: config.databaseUrl, onError });
      opened.push(() => events.close());
      await events.ready();
      distributed.events = events;
      // DARKROOM_REDIS_URL comes with DARKROOM_DATABASE_URL (readServerConfig refuses it alone).
      if (config.redisUrl && bullmq) {
        const backend = bullmq.createBullmqJobBackend({ connection: config.redisUrl, database });
        opened.push(() => backend.queue.close());
        await backend.queue.ready();
        distributed.jobBackend = backend;
      }
    }
    if (config.mongodbUrl) {
      const { createMongoConversationStore } = await import('@darkroom/store-mongodb');
      const conversations = createMongoConversationStore({ url: config.mongodbUrl });
      opened.push(() => conversations.close());
      await conversations.ready();
      distributed.stores = { conversations };
    }
    const engine = await createDefaultEngine({
      dataDir: config.dataDir,
      plugins: config.plugins,
      imageLimits: { maxPixels: config.maxImagePixels, maxOutputPixels: config.maxOutputPixels },
      jobs: { maxQueuedPerUser: config.maxQueuedJobsPerUser },
      runner: {
        ...(config.maxRunningJobsPerUser !== undefined ? { maxRunningPerUser: config.maxRunningJobsPerUser } : {}),
        // A dead worker's jobs come back within about two leases: the sweep runs at least once a lease.
        ...(config.jobLeaseMs !== undefined ? { leaseMs: config.jobLeaseMs, sweepMs: Math.min(defaultRunnerOptions.sweepMs, config.jobLeaseMs) } : {}),
        ...runner,
      },
      maxStepsPerTurn: config.maxStepsPerTurn,
      ...distributed,
      ...(config.localModels || config.diffusion ? { local: { ...(config.localModels ? { models: config.localModels } : {}), ...(config.diffusion ? { diffusion: config.diffusion } : {}) } } : {}),
      ...(config.runware ? { runware: config.runware } : {}),
      ...(config.gemini ? { gemini: config.gemini } : {}),
      ...(config.parasail ? { parasail: config.parasail } : {}),
      ...(config.cloudinary ? { cloudinary: {} } : {}),
      routing: config.routing,
    });
    return {
      engine,
      closeServices: closeOpened,
      deployment: { database: config.databaseUrl ? 'postgres' : 'sqlite', queue: shape.queue, events: engine.events.name, conversations: shape.conversations },
    };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

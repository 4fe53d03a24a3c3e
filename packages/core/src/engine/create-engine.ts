import 'reflect-metadata';
import { join } from 'node:path';
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { EventBus } from '../events/event-bus.js';
import type { EventTransport } from '../events/event-transport.js';
import { defaultImageLimits, type ImageLimits } from '../images/inspect-image.js';
import { createRuleBasedDetector } from '../intent/create-rule-based-detector.js';
import { createProviderDetector } from '../intent/create-provider-detector.js';
import { createProviderRefiner } from '../prompt/create-provider-refiner.js';
import type { IntentDetector } from '../intent/intent-detector.js';
import { IntentRouter } from '../intent/intent-router.js';
import { createSqlJobBackend } from '../jobs/create-sql-job-backend.js';
import type { Workflow } from '../jobs/define-workflow.js';
import type { JobBackend } from '../jobs/job-backend.js';
import { defaultRunnerOptions, WorkflowRunner, type RunnerOptions } from '../jobs/workflow-runner.js';
import type { Provider } from '@darkroom/plugin-api';
import { loadPlugins, type PluginSource } from '../plugin/load-plugins.js';
import { createRuleBasedRefiner } from '../prompt/create-rule-based-refiner.js';
import type { PromptRefiner } from '../prompt/prompt-refiner.js';
import type { CircuitBreakerOptions } from '../providers/circuit-breaker.js';
import { ProviderManager, type RoutingConfig } from '../providers/provider-manager.js';
import { FeatureRegistry } from '../registry/feature-registry.js';
import { PluginRouteRegistry } from '../registry/plugin-route-registry.js';
import type { AssetStorage } from '../storage/asset-storage.js';
import { createLocalAssetStorage } from '../storage/create-local-asset-storage.js';
import { createMemoryAssetStorage } from '../storage/create-memory-asset-storage.js';
import { createDatabase, type Database, type DatabaseConfig } from '../store/create-database.js';
import { createSqlAssetStore } from '../store/create-sql-asset-store.js';
import { createSqlConversationStore } from '../store/create-sql-conversation-store.js';
import { createSqlGalleryStore } from '../store/create-sql-gallery-store.js';
import { createSqlWebhookOutbox } from '../store/create-sql-webhook-outbox.js';
import { AssetService } from './asset-service.js';
import { ChatService } from './chat-service.js';
import { Engine } from './engine.js';
import type { EngineStores } from './engine-stores.js';
import { FeatureExecutor } from './feature-executor.js';
import { GalleryService } from './gallery-service.js';
import { JobService } from './job-service.js';
import { createChatWorkflow } from './workflows/create-chat-workflow.js';
import { createFeatureWorkflow } from './workflows/create-feature-workflow.js';

export interface EngineOptions {
  /** Plugin objects, or npm package names whose default export is a plugin. */
  plugins?: PluginSource[];
  /** Providers besides those plugins bring. */
  providers?: Provider[];
  /** Capability → ordered provider ids. */
  routing?: RoutingConfig;
  /**
   * Where state lives. `dataDir` alone means SQLite at `<dataDir>/darkroom.db` and files under
   * `<dataDir>/assets`. Without either, everything is in memory (stateless use).
   */
  dataDir?: string;
  store?: DatabaseConfig | Database;
  /**
   * Stores by role, each defaulting to the SQL store on the engine's database (`store`); e.g. a
   * MongoDB conversation store. The caller owns the stores it gives: the engine never closes them.
   * `engine.ready()` asks each one's `ready()`.
   */
  stores?: Partial<EngineStores>;
  storage?: AssetStorage;
  /** The job backend; defaults to the SQL backend on the engine's database. */
  jobBackend?: JobBackend;
  /** The in-process runner; `runner.maxRunningPerUser` caps one user's running jobs (default `concurrency - 1`). */
  runner?: Partial<RunnerOptions> & { autoStart?: boolean };
  /**
   * Job defaults. `maxQueuedPerUser`: jobs one user may have waiting to start (default 32; `Infinity`
   * for none); a submit beyond it is refused with `rate_limited` (HTTP 429 with Retry-After).
   */
  jobs?: { maxAttempts?: number; timeoutMs?: number; maxQueuedPerUser?: number };
  workflows?: Workflow<never, unknown>[];
  detector?: IntentDetector;
  refiner?: PromptRefiner;
  /** Below this detection confidence the assistant asks instead of acting. */
  intentThreshold?: number;
  /**
   * Most steps one chat message may run (default 4). A message asking for more runs nothing: the
   * assistant says how many were asked and asks to split the request.
   */
  maxStepsPerTurn?: number;
  imageLimits?: Partial<ImageLimits>;
  breaker?: CircuitBreakerOptions;
  /** How a stored image's URL is written; defaults to `/v1/assets/<id>`. */
  assetUrl?: (assetId: string) => string;
  /**
   * How engine events travel (default: this process only). A cross-process transport (PostgreSQL,
   * Redis) lets `engine.on` hear the jobs other processes run. The caller owns it: call its
   * `ready()` before and its `close()` after `engine.close()`; the engine never closes it.
   */
  events?: EventTransport;
}

const token = {
  options: Symbol('EngineOptions'),
  database: Symbol('Database'),
  storage: Symbol('AssetStorage'),
  events: Symbol('EventBus'),
  registry: Symbol('FeatureRegistry'),
  providers: Symbol('ProviderManager'),
  router: Symbol('IntentRouter'),
  refiner: Symbol('PromptRefiner'),
  assets: Symbol('AssetService'),
  gallery: Symbol('GalleryService'),
  executor: Symbol('FeatureExecutor'),
  backend: Symbol('JobBackend'),
  runner: Symbol('WorkflowRunner'),
  jobs: Symbol('JobService'),
  chat: Symbol('ChatService'),
  stores: Symbol('EngineStores'),
} as const;

/** Enough for a batch, few enough that a full queue drains within the default job deadline at a few jobs per minute. */
const defaultMaxQueuedPerUser = 32;

const isDatabase = (value: unknown): value is Database => typeof value === 'object' && value !== null && 'db' in value;

/** Registers every service of one engine in its own child container: two engines share nothing. */
function wire(container: DependencyContainer, options: EngineOptions, database: Database, providers: Provider[], registry: FeatureRegistry) {
  const cached = <T>(factory: (c: DependencyContainer) => T) => ({ useFactory: instanceCachingFactory(factory) });
  const jobDefaults = { maxAttempts: options.jobs?.maxAttempts ?? 3, timeoutMs: options.jobs?.timeoutMs ?? 10 * 60_000 };
  container.register(token.options, { useValue: options });
  container.register(token.database, { useValue: database });
  container.register(token.registry, { useValue: registry });
  container.register(token.events, { useValue: new EventBus(options.events) });
  const stores: EngineStores = {
    conversations: options.stores?.conversations ?? createSqlConversationStore(database),
    gallery: options.stores?.gallery ?? createSqlGalleryStore(database),
    assets: options.stores?.assets ?? createSqlAssetStore(database),
    webhooks: options.stores?.webhooks ?? createSqlWebhookOutbox(database),
  };
  container.register(token.stores, { useValue: stores });
  container.register(token.storage, {
    useValue: options.storage ?? (options.dataDir ? createLocalAssetStorage({ directory: join(options.dataDir, 'assets') }) : createMemoryAssetStorage()),
  });
  container.register(token.providers, cached(() => new ProviderManager(providers, options.routing, options.breaker)));
  // Language-model providers (intent, refine-prompt) are used when configured; the rule-based ones otherwise.
  container.register(token.refiner, cached((c) => options.refiner ?? createProviderRefiner(c.resolve(token.providers), createRuleBasedRefiner())));
  container.register(
    token.router,
    cached((c) => {
      const providerManager = c.resolve<ProviderManager>(token.providers);
      const detector = options.detector ?? createProviderDetector(providerManager, createRuleBasedDetector());
      return new IntentRouter(registry, detector, c.resolve(token.refiner), options.intentThreshold, options.maxStepsPerTurn, (capability) => providerManager.offers(capability));
    }),
  );
  const imageLimits = { ...defaultImageLimits, ...options.imageLimits };
  container.register(token.assets, cached((c) => new AssetService(stores.assets, c.resolve(token.storage), imageLimits, options.assetUrl ?? ((id) => `/v1/assets/${id}`))));
  container.register(token.gallery, cached((c) => new GalleryService(stores.gallery, c.resolve(token.assets))));
  container.register(token.executor, cached((c) => new FeatureExecutor(registry, c.resolve(token.providers), c.resolve(token.assets), stores.gallery, imageLimits.maxOutputPixels)));
  container.register(token.backend, { useValue: options.jobBackend ?? createSqlJobBackend(database) });
  container.register(
    token.runner,
    cached((c) => {
      const executor = c.resolve<FeatureExecutor>(token.executor);
      const workflows = [
        createFeatureWorkflow(executor),
        createChatWorkflow({
          registry,
          router: c.resolve(token.router),
          executor,
          conversations: stores.conversations,
          events: c.resolve(token.events),
        }),
        ...((options.workflows ?? []) as Workflow<unknown, unknown>[]),
      ];
      const byKind = new Map<string, Workflow<unknown, unknown>>();
      for (const workflow of workflows) {
        if (byKind.has(workflow.kind)) throw new TypeError(`Two workflows have the kind ${workflow.kind}`);
        byKind.set(workflow.kind, workflow as Workflow<unknown, unknown>);
      }
      return new WorkflowRunner(c.resolve(token.backend), byKind, c.resolve(token.events), { ...defaultRunnerOptions, ...options.runner });
    }),
  );
  const queueLimits = { maxQueuedPerUser: options.jobs?.maxQueuedPerUser ?? defaultMaxQueuedPerUser };
  container.register(token.jobs, cached((c) => new JobService(c.resolve(token.backend), c.resolve(token.runner), c.resolve(token.events), queueLimits)));
  container.register(
    token.chat,
    cached((c) => new ChatService(stores.conversations, c.resolve(token.assets), c.resolve(token.jobs), c.resolve(token.router), jobDefaults, c.resolve(token.events))),
  );
  return jobDefaults;
}

/**
 * Builds an engine: loads plugins, opens the stores, wires the services and starts the runner
 * (which first requeues jobs a crashed process left behind).
 *
 * @example
 * const engine = await createEngine({ plugins: [generate, upscale], providers: [createLocalProvider()], dataDir: './data' });
 * const result = await engine.run('upscale', { image: { asset_id }, scale: 2 });
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const plugins = await loadPlugins(options.plugins ?? []);
  const registry = new FeatureRegistry(plugins.flatMap((plugin) => plugin.features));
  // Reported once at load, as Node reports library warnings (stderr by default; `process.on('warning')` to handle).
  for (const overlap of registry.keywordOverlaps()) {
    process.emitWarning(`Features ${overlap.features.join(', ')} all declare the keyword ${JSON.stringify(overlap.keyword)}: a chat message with it asks which one is meant. Give each feature its own keywords to route it directly.`, {
      type: 'DarkroomWarning',
      code: 'DARKROOM_KEYWORD_OVERLAP',
    });
  }
  const providers = [...plugins.flatMap((plugin) => plugin.providers), ...(options.providers ?? [])];
  const ownsDatabase = !isDatabase(options.store);
  const database = isDatabase(options.store)
    ? options.store
    : await createDatabase(options.store ?? (options.dataDir ? { kind: 'sqlite', filename: join(options.dataDir, 'darkroom.db') } : { kind: 'memory' }));
  const container = rootContainer.createChildContainer();
  try {
    const jobDefaults = wire(container, options, database, providers, registry);
    const engine = new Engine({
      registry,
      routes: new PluginRouteRegistry(plugins),
      events: container.resolve(token.events),
      providers: container.resolve(token.providers),
      router: container.resolve(token.router),
      refiner: container.resolve(token.refiner),
      assets: container.resolve(token.assets),
      gallery: container.resolve(token.gallery),
      executor: container.resolve(token.executor),
      runner: container.resolve(token.runner),
      backend: container.resolve(token.backend),
      runsJobs: options.runner?.autoStart !== false,
      jobs: container.resolve(token.jobs),
      chat: container.resolve(token.chat),
      storage: container.resolve(token.storage),
      database,
      stores: container.resolve(token.stores),
      jobDefaults,
      close: async () => {
        await Promise.all(providers.map((provider) => provider.close?.()));
        const stores = container.resolve<EngineStores>(token.stores);
        const made = (Object.keys(stores) as (keyof EngineStores)[]).filter((role) => options.stores?.[role] === undefined);
        await Promise.all(made.map((role) => stores[role].close()));
        if (ownsDatabase) await database.close();
        container.clearInstances();
      },
    });
    if (options.runner?.autoStart !== false) await engine.start();
    return engine;
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}

import { chosenProvider, DarkroomError, errors, type Capability } from '@darkroom/plugin-api';
import { holdImageBytes } from './hold-image-bytes.js';
import { unknownFields } from './unknown-fields.js';
import { checkWellFormedText } from '../json/check-well-formed-text.js';
import { scopeIdempotencyKey } from './scope-idempotency-key.js';
import type { EventBus, EngineEventListener } from '../events/event-bus.js';
import type { JobBackend } from '../jobs/job-backend.js';
import type { EventTransport } from '../events/event-transport.js';
import type { IntentRouter } from '../intent/intent-router.js';
import type { WorkflowRunner } from '../jobs/workflow-runner.js';
import type { PromptRefiner, RefineContext } from '../prompt/prompt-refiner.js';
import type { ProviderAttempt, ProviderManager } from '../providers/provider-manager.js';
import type { FeatureRegistry } from '../registry/feature-registry.js';
import type { PluginRouteRegistry } from '../registry/plugin-route-registry.js';
import type { AssetStorage } from '../storage/asset-storage.js';
import type { Database } from '../store/create-database.js';
import { probeDatabase } from '../store/probe-database.js';
import type { MessageChangesQuery, MessageQuery, SessionChanges, SessionQuery } from '../store/conversation-store.js';
import type { GalleryQuery } from '../store/gallery-store.js';
import { terminalJobStates, type JobListQuery, type JobRecord } from '../jobs/job-types.js';
import type { AssetService } from './asset-service.js';
import type { ChatService, SendMessage } from './chat-service.js';
import { createUserStudio, type EngineUserStudio, type UserStudioOptions } from './create-user-studio.js';
import type { EngineStores } from './engine-stores.js';
import type { FeatureExecutor, FeatureRunResult } from './feature-executor.js';
import type { GalleryService } from './gallery-service.js';
import { JobService, type Job } from './job-service.js';
import type { FeatureJobInput } from './workflows/create-feature-workflow.js';

export interface EngineParts {
  registry: FeatureRegistry;
  /** The HTTP routes the plugins add. */
  routes: PluginRouteRegistry;
  events: EventBus;
  providers: ProviderManager;
  router: IntentRouter;
  refiner: PromptRefiner;
  assets: AssetService;
  gallery: GalleryService;
  executor: FeatureExecutor;
  runner: WorkflowRunner;
  /** Where jobs queue and checkpoint (probed by `ready()`). */
  backend: JobBackend;
  /** Whether this engine runs jobs itself (false: `runner.autoStart: false`, workers elsewhere run them). */
  runsJobs: boolean;
  jobs: JobService;
  chat: ChatService;
  storage: AssetStorage;
  database: Database;
  stores: EngineStores;
  jobDefaults: { maxAttempts: number; timeoutMs: number };
  close(): Promise<void>;
}

export interface RunOptions {
  /** Owner of everything the call writes; the single-user default is `local`. */
  userId?: string;
  idempotencyKey?: string;
  /**
   * `run()` only (`submit()` ignores it). Aborting it at any moment before `run()` has its result
   * stops the run, like `fetch`: aborted before the job is queued (already aborted, or while inline
   * images are still being moved to storage), nothing is queued; aborted later, the job is cancelled.
   * Either way `run()` rejects with a `DarkroomError` of code `cancelled`, and only once the cancel
   * is recorded: a job running in this engine has ended (`cancelled`, or as it ended if it finished
   * first; waited for up to 1 s), and one running in another process has `cancelRequested` set and
   * ends when its worker hears of it. The error's `details.job_id` names the job (absent when
   * nothing was queued). If recording the cancel itself fails (the database is down), `run()`
   * rejects with that failure instead.
   */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export const defaultUserId = 'local';

/** The outcome of one check: `message` says what went wrong when `ok` is false. */
export interface Check {
  ok: boolean;
  message?: string;
}

/** A store's readiness under its role, with the backend's name (`sql`, `mongodb`). */
export interface StoreCheck extends Check {
  name: string;
}

/** Whether an engine can take work now (see `Engine.ready`). */
export interface Readiness {
  ok: boolean;
  /** Every store's `ready()`, by role. */
  stores: Record<keyof EngineStores, StoreCheck>;
  storage: Check;
  /** The job queue and the step checkpoints answer. */
  queue: Check;
  /** The event transport is connected (always for the in-process one). */
  events: Check;
  /** `ok` when this engine's runner takes work, or when it runs no jobs by design (`runsJobs: false`). */
  workers: { ok: boolean; activeJobs: number; runsJobs: boolean };
}

/** Stores, asset storage and every provider, probed (see `Engine.health`). */
export interface EngineHealth {
  ok: boolean;
  /** The engine's own SQL database (jobs live there unless a job backend was given). */
  database: Check & { dialect: Database['dialect'] };
  stores: Record<keyof EngineStores, StoreCheck>;
  storage: Check & { name: string };
  providers: Awaited<ReturnType<ProviderManager['health']>>;
  checkedInMs: number;
}

/** How long one readiness or health check may take: probes (Kubernetes' default timeout is 1 s) must not hang on a service that is down. */
const probeTimeoutMs = 900;

/** Runs a check: `{ ok: true }`, or `{ ok: false, message }` with what went wrong (or that it did not answer in time). */
async function probe(check: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not answer within ${probeTimeoutMs} ms`)), probeTimeoutMs);
  });
  try {
    await Promise.race([check(), late]);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one object a host app holds. Everything is reachable from it; nothing is global.
 *
 * @example
 * const { images } = await engine.run('upscale', { image: await readFile('photo.jpg'), scale: 2 }); // or a data URI, {base64}, {asset_id}
 * const { messageId } = await engine.chat.send({ userId: 'u1', sessionId, content: 'create a sunset, then upscale it' });
 */
export class Engine {
  /** Set when `close()` begins: calls from then on are refused with `engineClosedError`. */
  private closing = false;
  /** The one `close()`: closing again waits for it. */
  private closed: Promise<void> | undefined;
  /** Aborted once the runner has stopped in `close()`: waits for jobs this engine will not run end at once. */
  private readonly shutdown = new AbortController();

  constructor(private readonly parts: EngineParts) {}

  /** Refuses work once `close()` has begun, and turns a failure caused by the closing into the same typed error. */
  private async whileOpen<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) throw engineClosedError();
    try {
      return await work();
    } catch (error) {
      throw this.closing ? engineClosedError(error) : error;
    }
  }

  /** `api` with each function refused once the engine closes (see `whileOpen`). */
  private open<Api extends Record<string, (...args: any[]) => Promise<unknown>>>(api: Api): Api {
    return Object.fromEntries(Object.entries(api).map(([name, call]) => [name, (...args: unknown[]) => this.whileOpen(() => call(...args))])) as Api;
  }

  /** Starts the job runner (done by createEngine unless `runner.autoStart` is false). */
  start(): Promise<void> {
    return this.whileOpen(() => this.parts.runner.start());
  }

  get features() {
    return this.parts.registry;
  }

  /** The HTTP routes the plugins add (`definePlugin({ routes })`), which the server mounts beside its own. */
  get routes() {
    return this.parts.routes;
  }

  /**
   * The studio as one user sees it: sessions (create, list, get, update, delete, messages, send,
   * sendAndWait), feature runs and the gallery, every call bound to `userId` — no call of it takes a
   * user id, so none can act for another user (whose ids are `not_found`). It is what a plugin's route
   * handler gets for its caller (the `UserStudio` of `@darkroom/plugin-api`), and a host app's way to
   * act for the signed-in user without passing the id each time. Calls go through this engine's own
   * methods (what wraps them, such as the server's rate limit, applies). `signal`: aborting it stops
   * the waits of `sendAndWait` and `features.run` (the work goes on as a job) and refuses further calls;
   * `imageUrl` rewrites the stored images' URLs it answers.
   *
   * @example
   * const studio = engine.forUser(request.user.id, { signal: request.signal });
   * const session = await studio.sessions.create({ title: 'Rings', description: 'Gold and rubies' });
   * const { assistantMessage } = await studio.sessions.sendAndWait(session.id, { content: 'paint a gold ring' });
   * const { images } = await studio.features.run('upscale', { image: { asset_id: assistantMessage.data.images![0]!.assetId }, scale: 2 });
   */
  forUser(userId: string, options: UserStudioOptions = {}): EngineUserStudio {
    return createUserStudio(this, userId, options);
  }

  /**
   * Validates, moves inline images to storage, and queues a direct feature call. `input` takes the
   * same image forms as `run()`, raw bytes included.
   */
  submit(featureId: string, input: unknown, options: RunOptions = {}) {
    return this.whileOpen(() => this.queueFeature(featureId, input, options));
  }

  /** `submit()`'s work; with `stopBefore`, an abort before the job is queued queues nothing. */
  private async queueFeature(featureId: string, input: unknown, options: RunOptions, stopBefore?: AbortSignal) {
    const userId = options.userId ?? defaultUserId;
    // Raw bytes wait behind placeholders while the input is validated, then are stored as they are.
    const held = holdImageBytes(input);
    const feature = this.parts.registry.get(featureId);
    // A direct call names every field itself: one the feature does not take is a mistake to point out, not to drop.
    const { unknown, known } = unknownFields(feature.input, held.input);
    if (unknown.length > 0) {
      throw errors.invalidInput(`${featureId} does not take ${unknown.slice(0, 5).map((field) => JSON.stringify(field.length > 100 ? `${field.slice(0, 100)}…` : field)).join(', ')}; its fields are ${known.join(', ')}`);
    }
    const { input: parsed } = this.parts.executor.parseInput(featureId, held.input);
    // Its text is stored (the job, the gallery's prompt) and sent to providers: valid Unicode only.
    checkWellFormedText(parsed, '');
    // A provider or model the call names that cannot serve it is refused before anything is stored or
    // queued (where this engine runs jobs: workers elsewhere may be set up otherwise).
    const chosen = chosenProvider(parsed as { provider?: string; model?: string });
    if (this.parts.runsJobs && (chosen.provider || chosen.model)) this.parts.providers.candidates(feature.capability, chosen);
    const idempotencyKey = options.idempotencyKey ? scopeIdempotencyKey(['feature', featureId], options.idempotencyKey) : undefined;
    const stored = await this.parts.assets.externalize(userId, held.restore(parsed), idempotencyKey ? { effectKey: `idempotency:${userId}:${idempotencyKey}` } : {});
    if (stopBefore?.aborted) throw errors.cancelled('The signal was aborted before the job was queued: nothing was queued');
    const { job, created } = await this.parts.jobs.submit({
      userId,
      kind: 'feature',
      input: { feature: featureId, input: stored } satisfies FeatureJobInput,
      request: { feature: featureId, input: idempotencyKey && held.count > 0 ? held.digest() : input },
      ...(idempotencyKey ? { idempotencyKey } : {}),
      maxAttempts: this.parts.jobDefaults.maxAttempts,
      timeoutMs: options.timeoutMs ?? this.parts.jobDefaults.timeoutMs,
    });
    if (!created && job.state === 'succeeded') await this.refuseDeletedResult(featureId, job);
    return job;
  }

  /**
   * A replayed key answers its job's result, unless images of that result have been deleted from the
   * gallery since: then `conflict` (409, `details.reason: "deleted"`, the job and the images), as an
   * answer pointing at deleted images would read as if they were there.
   */
  private async refuseDeletedResult(featureId: string, job: JobRecord): Promise<void> {
    const made = (job.result as FeatureRunResult).images.map((image) => image.galleryId);
    const deleted = await this.parts.gallery.deletedOf(job.userId, made);
    if (deleted.length === 0) return;
    const which = deleted.length === made.length ? `its image${made.length > 1 ? 's' : ''} (${deleted.join(', ')})` : `${deleted.length} of its ${made.length} images (${deleted.join(', ')})`;
    throw errors.deleted(
      `This Idempotency-Key ran ${featureId} as job ${job.id}, and ${which} ha${deleted.length > 1 ? 've' : 's'} since been deleted from the gallery; it is not run again: use a new Idempotency-Key to run it anew (a soft-deleted image can be restored: engine.gallery.restore, POST /v1/gallery/{id}/restore)`,
      { job_id: job.id, gallery_ids: deleted },
    );
  }

  /**
   * Runs a feature as a durable job and waits for its result (`source: "direct"` in the gallery).
   *
   * Image fields (every field whose schema is `imageInput`, whatever its name, and each item of a
   * list of them: see `imageFieldsOf`) take raw bytes (`Buffer` or `Uint8Array` of a PNG, JPEG, WebP,
   * AVIF, GIF or TIFF file: the type is sniffed), a data URI, `{ base64, mime_type }` or
   * `{ asset_id }`. Bytes are stored as they are once the rest of the input is valid (never encoded
   * to base64; the array is not copied, so do not change it until `run()`/`submit()` has settled),
   * and the job holds `{ asset_id }`. A bad image is a `DarkroomError` (`invalid_image`, or
   * `payload_too_large` beyond the pixel limit) naming its field (`details.field`); with an
   * idempotency key, the same key with other bytes is `idempotency_mismatch`.
   *
   * `signal`: aborting it at any moment before the result cancels the job and rejects with
   * `cancelled` once the cancel is recorded; an already-aborted signal queues nothing (see
   * `RunOptions.signal` for the exact guarantee). (`result()` only stops waiting.)
   */
  run(featureId: string, input: unknown, options: RunOptions = {}): Promise<FeatureRunResult & { jobId: string }> {
    return this.whileOpen(async () => {
      // Like fetch: an aborted signal runs nothing, and aborting later cancels the job, not only the wait.
      if (options.signal?.aborted) throw errors.cancelled('The signal was aborted before the run started: nothing was queued');
      const job = await this.queueFeature(featureId, input, options, options.signal);
      return this.settle(options.userId ?? defaultUserId, job.id, options);
    });
  }

  /** Waits for a queued job of `run()`; an abort of `options.signal` (before or while waiting) cancels it. */
  private async settle(userId: string, jobId: string, options: RunOptions): Promise<FeatureRunResult & { jobId: string }> {
    const { signal } = options;
    const stopWaiting = new AbortController();
    const waiting = this.waitFor(userId, jobId, { signal: stopWaiting.signal, timeoutMs: options.timeoutMs ?? this.parts.jobDefaults.timeoutMs });
    let onAbort = () => {};
    const aborted = new Promise<undefined>((resolve) => (onAbort = () => resolve(undefined)));
    signal?.addEventListener('abort', onAbort, { once: true });
    // Aborted while the job was being queued: the listener above will never hear of it.
    if (signal?.aborted) onAbort();
    try {
      const done = await Promise.race([waiting, aborted]);
      if (done) return { ...(JobService.outcome(done) as FeatureRunResult), jobId };
      // Rejecting only once the cancel is recorded: the caller may read the job right after.
      const job = await this.parts.jobs.cancel(userId, jobId);
      throw runCancelledError(job);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stopWaiting.abort();
      waiting.catch(() => undefined);
    }
  }

  /** `JobService.wait`, which also stops once this engine's runner has stopped in `close()` (see `shutdown`). */
  private async waitFor(userId: string, jobId: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}) {
    // Listeners, not AbortSignal.any: the engine's signal lives long, and each wait must leave nothing on it.
    const stop = new AbortController();
    const onStop = () => stop.abort();
    const signals = [this.shutdown.signal, ...(options.signal ? [options.signal] : [])];
    for (const signal of signals) signal.addEventListener('abort', onStop, { once: true });
    if (signals.some((signal) => signal.aborted)) stop.abort();
    try {
      return await this.parts.jobs.wait(userId, jobId, { ...options, signal: stop.signal });
    } finally {
      for (const signal of signals) signal.removeEventListener('abort', onStop);
    }
  }

  /** Waits for a submitted feature job and answers its result, or throws its error. */
  async result(userId: string, jobId: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<FeatureRunResult & { jobId: string }> {
    const done = await this.whileOpen(() => this.waitFor(userId, jobId, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? this.parts.jobDefaults.timeoutMs }));
    return { ...(JobService.outcome(done) as FeatureRunResult), jobId };
  }

  readonly chat = this.open({
    /**
     * Creates a session: `title` (at most 200 characters) and `description` (at most 2000), each
     * null when left out, stored trimmed (text that shows nothing is `invalid_input`: send null). With `idempotencyKey` a repeat answers the same session (another title or
     * description with the same key is `idempotency_mismatch`, 422; once the session is deleted, a
     * repeat is `conflict`, 409, with `details.reason: "deleted"`). Invalid fields are `invalid_input` (400).
     */
    createSession: (userId: string, options?: { title?: string | null; description?: string | null; idempotencyKey?: string }) => this.parts.chat.createSession(userId, options),
    /** The user's session (`not_found`, 404, when missing or another user's). */
    getSession: (userId: string, id: string) => this.parts.chat.getSession(userId, id),
    /**
     * A page of the user's sessions, most recently active first (by `updatedAt`, epoch ms: created,
     * a message sent, a new image, renamed), then by id: `{ sessions, nextCursor }`. `query.limit` is
     * 1..100 (default 20); pass `nextCursor` as `query.cursor` for the next page (null on the last).
     * A cursor that is not a `nextCursor` of this list is `invalid_input` (400).
     *
     * @example
     * const { sessions, nextCursor } = await engine.chat.listSessions('u1', { limit: 10 });
     */
    listSessions: (userId: string, query?: SessionQuery) => this.parts.chat.listSessions(userId, query),
    /**
     * Renames and/or describes a session and answers it: each of `title` (at most 200 characters),
     * `description` (at most 2000) given is set, trimmed (text that shows nothing is refused), null clears it; the session's `updatedAt` moves.
     * Errors: `invalid_input` (400) when neither is given or one is not a string or null or too
     * long; `not_found` (404) when the session is missing or another user's.
     *
     * @example
     * await engine.chat.updateSession('u1', session.id, { title: 'Rings', description: 'Gold and rubies, white background' });
     */
    updateSession: (userId: string, id: string, changes: SessionChanges) => this.parts.chat.updateSession(userId, id, changes),
    /**
     * Deletes a session and all its messages (`not_found`, 404, when missing or another user's); its
     * turns still queued or running are cancelled. The images it made stay in the gallery.
     */
    deleteSession: (userId: string, id: string) => this.parts.chat.deleteSession(userId, id),
    send: (request: SendMessage) => this.parts.chat.send(request),
    /** A page of messages, newest first by default: `{ messages, nextCursor }` (see `MessageQuery`). */
    history: (userId: string, sessionId: string, query?: MessageQuery) => this.parts.chat.history(userId, sessionId, query),
    /** Messages written at or after `since` (epoch ms), in the order written (see `MessageChangesQuery`). */
    changes: (userId: string, sessionId: string, query: MessageChangesQuery) => this.parts.chat.changes(userId, sessionId, query),
    message: (userId: string, sessionId: string, id: string) => this.parts.chat.message(userId, sessionId, id),
  });

  readonly gallery = this.open({
    list: (userId: string, query?: GalleryQuery) => this.parts.gallery.list(userId, query),
    listDeleted: (userId: string, query?: GalleryQuery) => this.parts.gallery.list(userId, { ...query, deleted: true }),
    get: (userId: string, id: string) => this.parts.gallery.get(userId, id),
    create: (userId: string, body: unknown, options?: { idempotencyKey?: string }) => this.parts.gallery.create(userId, body, options),
    delete: (userId: string, id: string) => this.parts.gallery.softDelete(userId, id),
    restore: (userId: string, id: string) => this.parts.gallery.restore(userId, id),
    deletePermanently: (userId: string, id: string) => this.parts.gallery.deletePermanently(userId, id),
  });

  readonly jobs = this.open({
    get: (userId: string, id: string) => this.parts.jobs.get(userId, id),
    /** A user's jobs, newest first, `limit` (1..100, default 20) at a time after `cursor`, filtered by `state` and `kind` (see JobService.list). */
    list: (userId: string, query?: JobListQuery) => this.parts.jobs.list(userId, query),
    cancel: (userId: string, id: string) => this.parts.jobs.cancel(userId, id),
    wait: (userId: string, id: string, options?: { signal?: AbortSignal; timeoutMs?: number }) => this.waitFor(userId, id, options),
    /** Jobs per state over every user, for operators (metrics); never exposed per user. */
    counts: () => this.parts.jobs.counts(),
  });

  /**
   * The webhook outbox. `register` asks for a job's end to be told to a URL; a sender (the server's
   * WebhookSender) delivers due rows and records the outcome. Rows survive restarts.
   */
  readonly webhooks = this.open({
    register: async (userId: string, jobId: string, url: string) => {
      const job = await this.parts.jobs.record(userId, jobId);
      await this.parts.stores.webhooks.register({ jobId, userId, url });
      if (terminalJobStates.includes(job.state)) await this.parts.stores.webhooks.jobEnded(jobId, Date.now());
    },
    /** The job ended: its webhook is due now. */
    jobEnded: (jobId: string) => this.parts.stores.webhooks.jobEnded(jobId, Date.now()),
    waiting: (limit: number) => this.parts.stores.webhooks.waiting(limit),
    due: (limit: number) => this.parts.stores.webhooks.due(Date.now(), limit),
    claim: (jobId: string, attempts: number, leaseUntil: number) => this.parts.stores.webhooks.claim(jobId, attempts, leaseUntil),
    delivered: (jobId: string) => this.parts.stores.webhooks.delivered(jobId, Date.now()),
    failed: (jobId: string, error: string, nextAttemptAt: number | null) => this.parts.stores.webhooks.failed(jobId, error, nextAttemptAt, Date.now()),
    get: (jobId: string) => this.parts.stores.webhooks.get(jobId),
  });

  readonly assets = this.open({
    /**
     * Stores an uploaded image (its bytes as they are) for a user and answers its record, id and URL.
     * With `effectKey` (derive it from a request's idempotency key), storing again under the same key
     * answers the first asset and stores nothing. Bad bytes are `invalid_image`; too many pixels
     * `payload_too_large`.
     */
    upload: (userId: string, bytes: Uint8Array, options: { effectKey?: string } = {}) => this.parts.assets.put(userId, bytes, options.effectKey ? { effectKey: options.effectKey } : {}),
    /**
     * The bytes of a user's asset. With `shared: true` (a signed link, no API key) an image whose
     * gallery rows are all deleted (soft or permanently) is `not_found`: deleting revokes shared links.
     */
    read: async (userId: string, id: string, options: { shared?: boolean } = {}) => {
      if (options.shared && (await this.parts.gallery.assetWithdrawn(id))) throw errors.notFound('Image', id);
      return this.parts.assets.read(userId, id);
    },
    /** A user's asset record (no bytes). */
    get: (userId: string, id: string) => this.parts.assets.get(userId, id),
  });

  readonly prompt = this.open({
    refine: (prompt: string, context?: RefineContext) => this.parts.refiner.refine(prompt, context),
    validate: (prompt: string) => this.parts.refiner.validate(prompt),
    /** What the chat flow would do with a message, without doing it. */
    plan: (message: string) => this.parts.router.plan(message, {}),
  });

  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: EngineEventListener): () => void {
    return this.parts.events.on(listener);
  }

  /** The transport engine events travel on; `events.crossProcess` tells whether other processes' events arrive here. */
  get events(): EventTransport {
    return this.parts.events.transport;
  }

  /** Hears of every provider attempt (capability, provider, model, outcome, duration), e.g. for metrics. */
  observeProviders(observer: (capability: Capability, attempt: ProviderAttempt) => void): () => void {
    return this.parts.providers.observe(observer);
  }

  /**
   * Whether this engine can take work now: every store's `ready()` resolves, asset storage answers,
   * the job queue answers and the runner is running. A failed check's message says what to check
   * (a store's names the store). Unlike `health()`, providers are not probed.
   */
  async ready(): Promise<Readiness> {
    const { backend } = this.parts;
    const [stores, storage, queue, events] = await Promise.all([
      this.probeStores(),
      this.probeStorage(),
      probe(() => Promise.all([backend.queue.ready(), backend.checkpoints.ready()])),
      probe(() => this.events.ready()),
    ]);
    const runner = this.parts.runner.status();
    const workers = { ok: runner.running || !this.parts.runsJobs, activeJobs: runner.active, runsJobs: this.parts.runsJobs };
    return { ok: Object.values(stores).every((check) => check.ok) && storage.ok && queue.ok && events.ok && workers.ok, stores, storage, queue, events, workers };
  }

  private async probeStores(): Promise<Record<keyof EngineStores, StoreCheck>> {
    const roles = Object.keys(this.parts.stores) as (keyof EngineStores)[];
    const checks = await Promise.all(roles.map(async (role) => ({ name: this.parts.stores[role].name, ...(await probe(() => this.parts.stores[role].ready())) })));
    return Object.fromEntries(roles.map((role, index) => [role, checks[index]!])) as Record<keyof EngineStores, StoreCheck>;
  }

  private probeDatabase() {
    return probe(() => probeDatabase(this.parts.database.db, 'engine'));
  }

  private probeStorage() {
    return probe(async () => {
      const result = await this.parts.storage.health();
      if (!result.ok) throw new Error(result.message ?? 'storage is not healthy');
    });
  }

  models() {
    return this.parts.providers.models();
  }

  /** The engine's database, every store, asset storage and every provider, with circuit state. */
  async health(): Promise<EngineHealth> {
    const started = performance.now();
    const [database, stores, storage, providers] = await Promise.all([
      this.probeDatabase().then((check) => ({ ...check, dialect: this.parts.database.dialect })),
      this.probeStores(),
      this.probeStorage().then((check) => ({ name: this.parts.storage.name, ...check })),
      this.parts.providers.health(),
    ]);
    const ok = database.ok && Object.values(stores).every((check) => check.ok) && storage.ok;
    return { ok, database, stores, storage, providers, checkedInMs: Math.round(performance.now() - started) };
  }

  /**
   * Stops taking work; with `drain`, lets running jobs finish, else hands them back to the queue.
   * Calls still waiting for a job once the runner has stopped reject with `unavailable`. Closing
   * again answers when the first close is done.
   */
  close(options: { drain?: boolean } = {}): Promise<void> {
    this.closing = true;
    this.closed ??= (async () => {
      await this.parts.runner.stop(options);
      this.shutdown.abort();
      await this.parts.close();
    })();
    return this.closed;
  }
}

/** What `run()` rejects with once its signal aborted and the job's cancel is recorded. */
function runCancelledError(job: Job): DarkroomError {
  const how =
    job.state === 'cancelled' ? 'was cancelled'
    : terminalJobStates.includes(job.state) ? `had already ${job.state} (its end is kept)`
    : 'was asked to stop; it ends when the worker running it hears of it';
  return new DarkroomError({ code: 'cancelled', message: `The signal was aborted: job ${job.id} ${how}`, details: { job_id: job.id, state: job.state } });
}

/** A call made to an engine during or after `close()`: `unavailable` (503), saying what to do. */
function engineClosedError(cause?: unknown): DarkroomError {
  return new DarkroomError({
    code: 'unavailable',
    message: 'This engine is closed (or closing): nothing was done; create a new engine with createEngine() to go on',
    retryable: false,
    ...(cause !== undefined ? { cause } : {}),
  });
}

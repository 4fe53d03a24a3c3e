import { readFile } from 'node:fs/promises';
import { DarkroomError, defaultUserId, errors, imageFieldsOf, type Engine, type EngineEvent, type FeatureRunResult, type JobListQuery } from '@darkroom/core';
import { readServerConfig } from '../read-server-config.js';
import { defaultImageUrlPolicy, fetchImageBytes } from '../safety/resolve-image-urls.js';
import { toWireFeatureResult, toWireGalleryItem, toWireGalleryPage, toWireJob, toWireMessage } from '../wire/index.js';
import { createConfiguredEngine } from './create-configured-engine.js';
import type { Studio, StudioCallOptions, StudioImage } from './studio.js';
import { toFeatureInfo } from '../routes/feature-routes.js';
import { toStudioFeature } from './to-studio-feature.js';

/**
 * The embedded engine as a `Studio`: the engine `darkroom serve` makes from the same settings
 * (`DARKROOM_*` variables, `DARKROOM_CONFIG`; by default SQLite and image files under
 * `DARKROOM_DATA_DIR`, `./data`), owned by user `local` as the server's development mode is.
 * `runsJobs: false` for commands that only read (no runner starts: queued jobs stay for a server).
 * Rejects with the settings' error (`Invalid configuration: …`) or a store's `unavailable` error.
 */
export async function openEmbeddedStudio(options: { runsJobs: boolean; configFile?: string }): Promise<Studio> {
  const config = readServerConfig(process.env, options.configFile ? { configFile: options.configFile } : {});
  const { engine, closeServices } = await createConfiguredEngine(config, options.runsJobs ? {} : { autoStart: false });
  return new EmbeddedStudio(engine, `embedded engine (data directory ${config.dataDir})`, async () => {
    await engine.close({ drain: false });
    await closeServices();
  });
}

/** See `openEmbeddedStudio`; `close` stops the engine and what was opened for it. */
export class EmbeddedStudio implements Studio {
  private readonly userId = defaultUserId;

  constructor(
    private readonly engine: Engine,
    readonly location: string,
    readonly close: () => Promise<void>,
  ) {}

  async features() {
    return this.engine.features.list().map((feature) => toStudioFeature(toFeatureInfo(feature, '')));
  }

  async run(feature: string, input: Record<string, unknown>, options: StudioCallOptions = {}) {
    const engineInput = { ...input };
    for (const { name } of imageFieldsOf(this.engine.features.get(feature).input)) {
      const value = engineInput[name];
      if (Array.isArray(value)) engineInput[name] = await Promise.all(value.map((image: StudioImage) => this.imageInput(image)));
      else if (value !== undefined) engineInput[name] = await this.imageInput(value as StudioImage);
    }
    return this.follow(options, async () => (await this.engine.submit(feature, engineInput, { userId: this.userId })).id, async (jobId, signal) => {
      const result: FeatureRunResult & { jobId: string } = await this.engine.result(this.userId, jobId, { signal });
      const wire = toWireFeatureResult(result);
      return { job_id: result.jobId, ...wire, image_url: wire.images[0]?.url ?? null };
    });
  }

  async asset(assetId: string) {
    const { asset, bytes } = await this.engine.assets.read(this.userId, assetId);
    return { bytes, mimeType: asset.mimeType };
  }

  assetUrl(url: string) {
    return url;
  }

  async chat(request: { content: string; session?: string; image?: StudioImage; mask?: StudioImage }, options: StudioCallOptions = {}) {
    const sessionId = request.session ?? (await this.engine.chat.createSession(this.userId)).id;
    // Chat takes stored images: bytes are uploaded first.
    const image = request.image ? { asset_id: await this.stored(request.image) } : undefined;
    const mask = request.mask ? { asset_id: await this.stored(request.mask) } : undefined;
    let messageId = '';
    await this.follow(
      options,
      async () => {
        const sent = await this.engine.chat.send({ userId: this.userId, sessionId, content: request.content, ...(image ? { image } : {}), ...(mask ? { mask } : {}) });
        messageId = sent.messageId;
        return sent.jobId;
      },
      (jobId, signal) => this.engine.jobs.wait(this.userId, jobId, { signal }),
    );
    return { session_id: sessionId, message: toWireMessage(await this.engine.chat.message(this.userId, sessionId, messageId)) };
  }

  readonly jobs = {
    list: async (query: { limit?: number; cursor?: string; state?: string } = {}) => {
      const page = await this.engine.jobs.list(this.userId, query as JobListQuery);
      // As GET /v1/jobs writes them: jobs without their steps.
      const items = page.jobs.map((job) => {
        const { steps: _steps, ...summary } = toWireJob({ ...job, steps: [] });
        return summary;
      });
      return { items, next_cursor: page.nextCursor };
    },
    get: async (id: string) => toWireJob(await this.engine.jobs.get(this.userId, id)),
    cancel: async (id: string) => toWireJob(await this.engine.jobs.cancel(this.userId, id)),
  };

  readonly gallery = {
    list: async (query: { limit?: number; cursor?: string; deleted?: boolean } = {}) => {
      const { deleted, ...page } = query;
      return toWireGalleryPage(await (deleted ? this.engine.gallery.listDeleted(this.userId, page) : this.engine.gallery.list(this.userId, page)));
    },
    delete: async (id: string, options: { permanent?: boolean } = {}) => {
      await (options.permanent ? this.engine.gallery.deletePermanently(this.userId, id) : this.engine.gallery.delete(this.userId, id));
    },
    restore: async (id: string) => toWireGalleryItem(await this.engine.gallery.restore(this.userId, id)),
  };

  /** An image as the engine takes it: bytes (read or fetched here) or `{ asset_id }`. */
  private async imageInput(image: StudioImage): Promise<Uint8Array | { asset_id: string }> {
    if ('asset_id' in image) return { asset_id: image.asset_id };
    if ('bytes' in image) return image.bytes;
    // Fetched as the server fetches image URLs: public addresses only, capped.
    if ('url' in image) return (await fetchImageBytes(image.url, defaultImageUrlPolicy)).bytes;
    try {
      return new Uint8Array(await readFile(image.path));
    } catch (error) {
      throw errors.invalidInput(`Cannot read ${image.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  /** An image's asset id, uploading it when it is not stored yet. */
  private async stored(image: StudioImage): Promise<string> {
    const input = await this.imageInput(image);
    return input instanceof Uint8Array ? (await this.engine.assets.upload(this.userId, input)).id : input.asset_id;
  }

  /**
   * Starts a job (`start` answers its id) and waits for it (`wait`), reporting its progress and the
   * step it is in from the engine's events; an abort of `options.signal` cancels the job and rejects
   * with `cancelled`.
   */
  private async follow<T>(options: StudioCallOptions, start: () => Promise<string>, wait: (jobId: string, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (options.signal?.aborted) throw errors.cancelled('Cancelled before the job started: nothing was queued');
    let jobId: string | undefined;
    // Events may come before `start` answers (a job claimed at its submit): keep them until the id is known.
    const early: EngineEvent[] = [];
    let latest = { progress: 0 } as { progress: number; step?: string };
    const hear = (event: EngineEvent) => {
      if (!('jobId' in event) || event.jobId !== jobId) return;
      if (event.type === 'job.progress' && event.progress >= latest.progress) latest = { ...latest, progress: event.progress };
      else if (event.type === 'step.started') latest = { ...latest, step: event.step };
      else return;
      options.onProgress?.(latest);
    };
    const off = this.engine.on((event) => (jobId === undefined ? early.push(event) : hear(event)));
    const stopWaiting = new AbortController();
    const onAbort = () => stopWaiting.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      jobId = await start();
      early.splice(0).forEach(hear);
      if (options.signal?.aborted) onAbort();
      return await wait(jobId, stopWaiting.signal);
    } catch (error) {
      if (jobId && options.signal?.aborted) {
        const job = await this.engine.jobs.cancel(this.userId, jobId);
        throw new DarkroomError({ code: 'cancelled', message: `Cancelled: job ${jobId} is ${job.state}`, details: { job_id: jobId, state: job.state } });
      }
      throw error;
    } finally {
      off();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

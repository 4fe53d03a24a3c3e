import { createDarkroomClient, type DarkroomClient, type FeatureResult, type ImageSource } from '@darkroom/client';
import { DarkroomError } from '@darkroom/core';
import type { JsonSchema, Studio, StudioCallOptions, StudioFeature, StudioImage } from './studio.js';
import { toStudioFeature } from './to-studio-feature.js';

/**
 * A Darkroom server as a `Studio`, through `@darkroom/client` (`baseUrl` with the server's base path,
 * e.g. http://127.0.0.1:9999 or https://host/studio; `apiKey` when it has keys). Files named by path
 * are read here and uploaded; URLs are fetched by the server. Errors are the client's
 * `DarkroomApiError`s (the server's code and message; `unavailable` when it does not answer).
 *
 * @throws DarkroomError `invalid_input` when `baseUrl` is not an http(s) URL.
 */
export async function openRemoteStudio(options: { baseUrl: string; apiKey?: string }): Promise<Studio> {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DarkroomError({ code: 'invalid_input', message: `--url ${JSON.stringify(options.baseUrl)} is not an http(s) URL: give the server's address with its base path, e.g. http://127.0.0.1:9999` });
  }
  return new RemoteStudio(createDarkroomClient({ baseUrl: options.baseUrl, ...(options.apiKey ? { apiKey: options.apiKey } : {}) }), options.baseUrl.replace(/\/+$/, ''));
}

/** An image as the client takes it. */
function toImageSource(image: StudioImage): ImageSource {
  if ('asset_id' in image) return { assetId: image.asset_id };
  if ('bytes' in image) return image.bytes;
  return image;
}

/** See `openRemoteStudio`. */
export class RemoteStudio implements Studio {
  readonly location: string;

  constructor(
    private readonly client: DarkroomClient,
    baseUrl: string,
  ) {
    this.location = `server ${baseUrl}`;
  }

  private listed: Promise<StudioFeature[]> | undefined;

  /** The server's features, read once (a run looks its feature's image fields up here). */
  features() {
    this.listed ??= this.client.features.list().then((features) => features.map(toStudioFeature));
    this.listed.catch(() => (this.listed = undefined));
    return this.listed;
  }

  async run(feature: string, input: Record<string, unknown>, options: StudioCallOptions = {}) {
    const body: Record<string, unknown> = { ...input };
    const listed = (await this.features()).find((candidate) => candidate.id === feature);
    for (const field of listed?.image_fields ?? []) {
      const value = body[field];
      if (Array.isArray(value)) body[field] = value.map((image: StudioImage) => toImageSource(image));
      else if (value !== undefined) body[field] = toImageSource(value as StudioImage);
    }
    if (options.signal?.aborted) throw new DarkroomError({ code: 'cancelled', message: 'Cancelled before the job was submitted: nothing was queued' });
    // Not aborted midway: a job the server queued is always known here, so an abort can cancel it.
    const accepted = await this.client.features.submit(feature, body);
    const job = await this.follow(accepted.job_id, options);
    if (job.state !== 'succeeded') {
      const error = job.error ?? { code: 'internal', message: `The job ${job.state}` };
      throw new DarkroomError({ code: error.code as DarkroomError['code'], message: error.message, details: { ...error.details, job_id: job.id } });
    }
    const result = job.result as Omit<FeatureResult, 'job_id' | 'image_url'>;
    return { job_id: job.id, ...result, image_url: result.images[0]?.url ?? null };
  }

  async asset(assetId: string) {
    return this.client.assets.get(assetId);
  }

  assetUrl(url: string) {
    return this.client.absoluteUrl(url);
  }

  async chat(request: { content: string; session?: string; image?: StudioImage; mask?: StudioImage }, options: StudioCallOptions = {}) {
    if (options.signal?.aborted) throw new DarkroomError({ code: 'cancelled', message: 'Cancelled before the message was sent: nothing was queued' });
    const sessionId = request.session ?? (await this.client.sessions.create({})).session_id;
    // Not aborted midway: the turn's job is always known here, so an abort can cancel it.
    const sent = await this.client.sessions.send(sessionId, { text: request.content, ...(request.image ? { image: toImageSource(request.image) } : {}), ...(request.mask ? { mask: toImageSource(request.mask) } : {}) });
    await this.follow(sent.job_id, options);
    // The reply is written with its job's end.
    let message = await this.client.sessions.message(sessionId, sent.message_id);
    for (let tries = 0; message.status === 'PROCESSING' && tries < 40; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      message = await this.client.sessions.message(sessionId, sent.message_id);
    }
    return { session_id: sessionId, message };
  }

  readonly jobs = {
    list: async (query: { limit?: number; cursor?: string; state?: string } = {}) => {
      const page = await this.client.jobs.list(query as Parameters<DarkroomClient['jobs']['list']>[0]);
      return { items: page.jobs, next_cursor: page.next_cursor };
    },
    get: (id: string) => this.client.jobs.get(id),
    cancel: (id: string) => this.client.jobs.cancel(id),
  };

  readonly gallery = {
    list: async (query: { limit?: number; cursor?: string; deleted?: boolean } = {}) => {
      const { deleted, ...page } = query;
      return deleted ? this.client.gallery.listDeleted(page) : this.client.gallery.list(page);
    },
    delete: async (id: string, options: { permanent?: boolean } = {}) => {
      await (options.permanent ? this.client.gallery.deletePermanently(id) : this.client.gallery.delete(id));
    },
    restore: (id: string) => this.client.gallery.restore(id),
  };

  async close() {}

  /**
   * Waits for a job with progress from its event stream; an abort of `options.signal` cancels the
   * job and rejects with `cancelled` once the server has the cancel.
   */
  private async follow(jobId: string, options: StudioCallOptions) {
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      return await this.client.jobs.wait(jobId, {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (job) => options.onProgress?.({ progress: job.progress, ...(job.state === 'queued' ? { step: 'queued' } : {}) }),
      });
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      const job = await this.client.jobs.cancel(jobId);
      throw new DarkroomError({ code: 'cancelled', message: `Cancelled: job ${jobId} is ${job.state}`, details: { job_id: jobId, state: job.state } });
    }
  }
}

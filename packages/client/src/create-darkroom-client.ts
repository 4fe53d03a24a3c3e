import { apiRoutes, fillPath, finalJobEvents, imageFieldsOf, type ApiRoute } from '@darkroom/api';
import type {
  AcceptedJob, ChatInput, FeatureInfo, FeatureInput, FeatureResult, GalleryItem, GalleryPage, GalleryQuery, Job, JobEvent, JobPage, JobQuery, Liveness, Message,
  MessagePage, MessageQuery, NewGalleryItem, NewSession, Readiness, RequestOptions, RouteAnswer, RouteRequest, SentMessage, Session, SessionChanges, SessionEvent, SessionPage, SessionQuery, SignedUrl, WaitOptions,
} from './client-types.js';
import { DarkroomApiError } from './darkroom-api-error.js';
import { toRequestBody } from './image-source.js';
import { readEventStream } from './read-event-stream.js';

/** How to reach a Darkroom server. */
export interface DarkroomClientOptions {
  /** The server's URL with its base path, e.g. `http://127.0.0.1:3000` or `https://host/studio`; a relative path (`/studio`) in a browser. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` (not needed in development mode). */
  apiKey?: string;
  /** The fetch to use (default: the global one), e.g. a Hono app's `request` in tests. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

const terminalStates = new Set(['succeeded', 'failed', 'cancelled']);
const finalEvents = new Set<string>(finalJobEvents);

interface Call {
  params?: Record<string, string>;
  query?: Record<string, unknown> | undefined;
  body?: Record<string, unknown>;
  /** The body's image fields (a feature's `image_fields`); by default those of the route's body schema. */
  imageFields?: readonly string[];
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  idempotencyKey?: string | undefined;
  /** Statuses besides 2xx answered rather than thrown (documented answers with a body, e.g. /ready's 503). */
  accept?: number[];
}

/**
 * A typed client of a Darkroom server: every route of `@darkroom/api`'s table, and any other route
 * from its declaration (a plugin's, with `call`), with request and answer types from its zod
 * schemas. Works in Node 20+ and browsers.
 *
 * Errors: every method rejects with `DarkroomApiError` for a non-2xx answer (the server's `code`,
 * `message`, `details`, `status`, `retryable`, `retryAfterMs`) or no answer (`code: 'unavailable'`);
 * an aborted `signal` rejects with the signal's reason.
 *
 * @example
 * const client = createDarkroomClient({ baseUrl: 'http://127.0.0.1:3000', apiKey });
 * const result = await client.features.run('upscale', { image: { path: 'photo.png' }, scale: 2 });
 * const { bytes } = await client.assets.get(result.images[0]!.asset_id);
 */
export function createDarkroomClient(options: DarkroomClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));

  /** An absolute URL of a path the server wrote (already under its base path) or a route path. */
  function absolute(pathOrUrl: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) return pathOrUrl;
    const origin = /^[a-z][a-z0-9+.-]*:\/\//i.test(base) ? base : new URL(base || '/', (globalThis as { location?: { href: string } }).location?.href ?? 'http://localhost').href;
    return new URL(pathOrUrl, origin).href;
  }

  async function send(route: ApiRoute, call: Call = {}): Promise<Response> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
    const url = `${base}${fillPath(route.path, call.params)}${search.size ? `?${search}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...call.headers };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    let body: string | FormData | undefined;
    if (call.body !== undefined) {
      const encoded = await toRequestBody(call.body, call.imageFields ?? (route.body ? imageFieldsOf(route.body).map((field) => field.name) : []));
      body = encoded.body;
      if (encoded.contentType) headers['content-type'] = encoded.contentType;
    }
    let response: Response;
    try {
      response = await doFetch(url, { method: route.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}), ...(call.signal ? { signal: call.signal } : {}) });
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      throw DarkroomApiError.network(url, error);
    }
    if (!response.ok && !call.accept?.includes(response.status)) throw await DarkroomApiError.fromResponse(response);
    return response;
  }

  async function json<T>(route: ApiRoute, call: Call = {}): Promise<T> {
    const response = await send(route, call);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async function* stream<T>(route: ApiRoute, call: Call, isFinal: (event: { event: string }) => boolean = () => false): AsyncGenerator<T> {
    // Aborting `signal` ends the iteration quietly (before or during the stream); other failures reject it.
    try {
      const response = await send(route, { ...call, headers: { accept: 'text/event-stream' } });
      if (!response.body) return;
      for await (const event of readEventStream(response.body, call.signal)) {
        yield event as T;
        if (isFinal(event)) return;
      }
      if (call.signal?.aborted) return;
    } catch (error) {
      if (call.signal?.aborted) return;
      throw error;
    }
  }

  let features: FeatureInfo[] | undefined;
  /** A feature by id (or route name) from the cached feature list (read again on a miss): its route, and its image fields. */
  async function findFeature(id: string, signal?: AbortSignal): Promise<FeatureInfo> {
    const find = () => features?.find((feature) => feature.id === id || feature.route === id);
    if (!find()) features = await client.features.list(signal ? { signal } : {});
    const found = find();
    if (!found) throw new DarkroomApiError({ code: 'not_found', status: 404, message: `No feature ${JSON.stringify(id)} on this server; it has ${features!.map((feature) => feature.id).join(', ')}` });
    return found;
  }

  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  async function poll(id: string, waitOptions: WaitOptions, last: Job | undefined): Promise<Job> {
    let previous = last;
    for (;;) {
      const job = await client.jobs.get(id, waitOptions.signal ? { signal: waitOptions.signal } : {});
      if (!previous || previous.progress !== job.progress || previous.state !== job.state) waitOptions.onProgress?.(job);
      previous = job;
      if (terminalStates.has(job.state)) return job;
      await sleep(waitOptions.pollMs ?? 500, waitOptions.signal);
    }
  }

  const client = {
    /** `GET /health`: `{ status: 'ok' }` while the process answers. */
    health: (call: RequestOptions = {}) => json<Liveness>(apiRoutes.health, call),
    /** `GET /ready`: what is reachable; resolves for 503 too (with `ok: false` and what failed). */
    async ready(call: RequestOptions = {}): Promise<Readiness> {
      const response = await send(apiRoutes.ready, { ...call, accept: [503] });
      return (await response.json()) as Readiness;
    },
    /** Makes a server-written path (`/v1/assets/…`, `image_url`, `status_url`) an absolute URL. */
    absoluteUrl: absolute,

    /**
     * Calls any route from its declaration — a plugin's (the routes a plugin package exports, made
     * with `defineRoute`) or one of `apiRoutes` — typed from its schemas: `params` for its path,
     * `query` and `body` as the schemas take them, and the body of its success as the answer; a
     * refusal rejects with `DarkroomApiError` like every method.
     *
     * @example
     * import { listConversationsRoute } from 'darkroom-plugin-jewelry';
     * const page = await client.call(listConversationsRoute, { query: { limit: 10 } });
     * const renamed = await client.call(renameConversation, { params: { id }, body: { title: 'Rings' } }, { idempotencyKey });
     */
    call: <const Route extends ApiRoute>(route: Route, request: RouteRequest<Route>, call: RequestOptions = {}) =>
      json<RouteAnswer<Route>>(route, {
        ...call,
        ...(request.params ? { params: request.params as Record<string, string> } : {}),
        ...(request.query ? { query: request.query as Record<string, unknown> } : {}),
        ...(request.body !== undefined ? { body: request.body as Record<string, unknown> } : {}),
      }),

    features: {
      /** `GET /v1/features`: every registered feature, plugins included, with its input's JSON Schema. */
      async list(call: RequestOptions = {}): Promise<FeatureInfo[]> {
        features = (await json<{ features: FeatureInfo[] }>(apiRoutes.listFeatures, call)).features;
        return features;
      },
      /**
       * Runs a feature (by id, e.g. `upscale`, or route name) and answers its finished result. Each
       * of its image fields (its `image_fields`, whatever their names) takes any ImageSource, a list
       * field an array of them.
       */
      async run(id: string, input: FeatureInput, call: RequestOptions = {}): Promise<FeatureResult> {
        const feature = await findFeature(id, call.signal);
        return json<FeatureResult>(apiRoutes.runFeature, { ...call, params: { route: feature.route }, body: input, imageFields: feature.image_fields });
      },
      /** Submits a feature job (`Prefer: respond-async`): answers at once with the job to wait for. */
      async submit(id: string, input: FeatureInput, call: RequestOptions & { webhookUrl?: string } = {}): Promise<AcceptedJob> {
        const feature = await findFeature(id, call.signal);
        const body = call.webhookUrl ? { ...input, webhook_url: call.webhookUrl } : input;
        return json<AcceptedJob>(apiRoutes.runFeature, { ...call, params: { route: feature.route }, body, imageFields: feature.image_fields, headers: { prefer: 'respond-async' } });
      },
    },

    jobs: {
      /** `GET /v1/jobs`: the caller's jobs, newest first (`next_cursor` for the next page; filter by `state`, `kind`). */
      list: (query: JobQuery = {}, call: RequestOptions = {}) => json<JobPage>(apiRoutes.listJobs, { ...call, query }),
      /** `GET /v1/jobs/{id}`. */
      get: (id: string, call: RequestOptions = {}) => json<Job>(apiRoutes.getJob, { ...call, params: { id } }),
      /** `DELETE /v1/jobs/{id}`: cancels the job; answers it after the request (a running job ends `cancelled` shortly). */
      cancel: (id: string, call: RequestOptions = {}) => json<Job>(apiRoutes.cancelJob, { ...call, params: { id } }),
      /**
       * Resolves with the job once it has ended (`succeeded`, `failed` or `cancelled`: a failed job
       * resolves too; read its `error`). `onProgress` gets the job as it moves, from the job's event
       * stream; when the stream cannot be read or ends early, the job is polled instead. Aborting
       * `signal` rejects with its reason and leaves the job running (cancel it with `cancel`).
       */
      async wait(id: string, waitOptions: WaitOptions = {}): Promise<Job> {
        let current: Job | undefined;
        try {
          for await (const item of client.jobs.events(id, waitOptions.signal ? { signal: waitOptions.signal } : {})) {
            if (item.event === 'snapshot') current = item.data;
            else if (!current) continue;
            else if (item.event === 'job.progress') current = { ...current, progress: item.data.progress };
            else if (item.event === 'job.started') current = { ...current, state: 'running', attempt: item.data.attempt };
            else if (item.event === 'job.retrying') current = { ...current, state: 'queued' };
            else continue;
            if (terminalStates.has(current.state)) return current;
            waitOptions.onProgress?.(current);
          }
        } catch (error) {
          if (waitOptions.signal?.aborted) throw waitOptions.signal.reason;
          // Not ours, or not there: no stream would help. Anything else (a proxy that buffers, a cut connection): poll.
          if (DarkroomApiError.is(error) && [400, 401, 403, 404].includes(error.status)) throw error;
        }
        if (waitOptions.signal?.aborted) throw waitOptions.signal.reason;
        return poll(id, waitOptions, current);
      },
      /** `GET /v1/jobs/{id}/events`: the job's events as they happen; ends after the final event, or when `signal` aborts. */
      events: (id: string, call: { signal?: AbortSignal } = {}): AsyncIterable<JobEvent> => stream<JobEvent>(apiRoutes.streamJobEvents, { ...call, params: { id } }, (event) => finalEvents.has(event.event) || (event.event === 'snapshot' && terminalStates.has((event as JobEvent & { event: 'snapshot' }).data.state))),
    },

    sessions: {
      /**
       * The caller's sessions, most recently active first, `limit` (1..100, default 20) at a time:
       * pass the page's `next_cursor` as `cursor` for the next one (null on the last).
       *
       * @example
       * const { sessions, next_cursor } = await client.sessions.list({ limit: 10 });
       */
      list: (query: SessionQuery = {}, call: RequestOptions = {}) => json<SessionPage>(apiRoutes.listSessions, { ...call, query }),
      /**
       * Creates a session, with an optional `title` (at most 200 characters) and `description` (at
       * most 2000). With `idempotencyKey` a retry answers the same session.
       *
       * @example
       * const session = await client.sessions.create({ title: 'Rings', description: 'Gold and rubies on white' });
       */
      create: (body: NewSession = {}, call: RequestOptions = {}) => json<Session>(apiRoutes.createSession, { ...call, body }),
      get: (id: string, call: RequestOptions = {}) => json<Session>(apiRoutes.getSession, { ...call, params: { id } }),
      /**
       * Renames and/or describes a session (`PATCH`): the fields given are set (null clears one), the
       * others kept; at least one is needed. Rejects with `invalid_input` (400) or `not_found` (404).
       *
       * @example
       * await client.sessions.update(session.id, { title: 'Spring catalogue' });
       */
      update: (id: string, changes: SessionChanges, call: RequestOptions = {}) => json<Session>(apiRoutes.updateSession, { ...call, params: { id }, body: changes }),
      /** Deletes the session and its messages (its images stay in the gallery). */
      delete: (id: string, call: RequestOptions = {}) => json<void>(apiRoutes.deleteSession, { ...call, params: { id } }),
      /** A page of the conversation (newest first by default; `next_cursor` for older ones). */
      messages: (id: string, query: MessageQuery = {}, call: RequestOptions = {}) => json<MessagePage>(apiRoutes.listMessages, { ...call, params: { id }, query }),
      /** One message (poll an assistant message until it is DONE or FAILED). */
      message: (id: string, messageId: string, call: RequestOptions = {}) => json<Message>(apiRoutes.getMessage, { ...call, params: { id, messageId } }),
      /** Sends a message; answers at once with the assistant's message id (PROCESSING) and its job. */
      send: (id: string, input: ChatInput, call: RequestOptions = {}) =>
        json<SentMessage>(apiRoutes.sendMessage, { ...call, params: { id }, body: { content: input.text, image: input.image, mask: input.mask, webhook_url: input.webhookUrl } }),
      /**
       * Sends a message and resolves with the assistant's reply once its job ended (DONE with images
       * or a question, or FAILED with `error`); `onProgress` gets the turn's job as it moves.
       */
      async sendAndWait(id: string, input: ChatInput, waitOptions: WaitOptions & { idempotencyKey?: string } = {}): Promise<Message> {
        const sent = await client.sessions.send(id, input, { ...(waitOptions.signal ? { signal: waitOptions.signal } : {}), ...(waitOptions.idempotencyKey ? { idempotencyKey: waitOptions.idempotencyKey } : {}) });
        await client.jobs.wait(sent.job_id, waitOptions);
        // The message is written with its job's end; a short poll covers a store that lags behind it.
        for (let tries = 0; ; tries += 1) {
          const reply = await client.sessions.message(id, sent.message_id, waitOptions.signal ? { signal: waitOptions.signal } : {});
          if (reply.status !== 'PROCESSING' || tries >= 40) return reply;
          await sleep(waitOptions.pollMs ?? 250, waitOptions.signal);
        }
      },
      /** `GET /api/v1/chat/sessions/{id}/events`: a snapshot, then message changes and their jobs' events; stays open until `signal` aborts (the iteration then ends). */
      events: (id: string, call: { signal?: AbortSignal } = {}): AsyncIterable<SessionEvent> => stream<SessionEvent>(apiRoutes.streamSessionEvents, { ...call, params: { id } }),
    },

    gallery: {
      list: (query: GalleryQuery = {}, call: RequestOptions = {}) => json<GalleryPage>(apiRoutes.listGallery, { ...call, query }),
      /** The trash: soft-deleted images. */
      listDeleted: (query: GalleryQuery = {}, call: RequestOptions = {}) => json<GalleryPage>(apiRoutes.listDeletedGallery, { ...call, query }),
      get: (id: string, call: RequestOptions = {}) => json<GalleryItem>(apiRoutes.getGalleryItem, { ...call, params: { id } }),
      /** Keeps an image (any ImageSource) in the gallery. */
      create: (body: NewGalleryItem, call: RequestOptions = {}) => json<GalleryItem>(apiRoutes.createGalleryItem, { ...call, body: body as Record<string, unknown> }),
      /** Soft-deletes (restorable). */
      delete: (id: string, call: RequestOptions = {}) => json<void>(apiRoutes.deleteGalleryItem, { ...call, params: { id } }),
      restore: (id: string, call: RequestOptions = {}) => json<GalleryItem>(apiRoutes.restoreGalleryItem, { ...call, params: { id } }),
      /** Deletes for good (the file too when nothing else uses it). */
      deletePermanently: (id: string, call: RequestOptions = {}) => json<void>(apiRoutes.deleteGalleryItemPermanently, { ...call, params: { id } }),
    },

    assets: {
      /** The bytes of a stored image and their MIME type. */
      async get(id: string, call: RequestOptions = {}): Promise<{ bytes: Uint8Array; mimeType: string }> {
        const response = await send(apiRoutes.getAsset, { ...call, params: { id }, headers: { accept: 'image/*' } });
        return { bytes: new Uint8Array(await response.arrayBuffer()), mimeType: response.headers.get('content-type') ?? 'application/octet-stream' };
      },
      /** A signed, expiring absolute URL of a stored image that needs no API key (`expiresIn`: seconds, 60 s to 7 days; default 1 h). */
      async signedUrl(id: string, signOptions: RequestOptions & { expiresIn?: number } = {}): Promise<SignedUrl> {
        const { expiresIn, ...call } = signOptions;
        const signed = await json<SignedUrl>(apiRoutes.signAssetUrl, { ...call, params: { id }, body: expiresIn !== undefined ? { expires_in: expiresIn } : {} });
        return { ...signed, url: absolute(signed.url) };
      },
      /** The absolute URL of a stored image (it needs the API key, unlike a signed URL). */
      url: (id: string) => absolute(`${base}${fillPath(apiRoutes.getAsset.path, { id })}`),
    },
  };
  return client;
}

/** A client made by createDarkroomClient. */
export type DarkroomClient = ReturnType<typeof createDarkroomClient>;

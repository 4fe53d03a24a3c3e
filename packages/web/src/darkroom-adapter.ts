// Temporary: a thin stand-in for @darkroom/client with the same method names, over fetch. It goes when the
// typed client lands (packages/client/src/index.ts); nothing else in the playground talks HTTP.

/** An error answered by the server (`{ error: { code, message, details } }`), or a network failure (`status` 0). */
export class DarkroomApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(options: { code: string; status: number; message: string; details?: Record<string, unknown> }) {
    super(options.message);
    this.name = 'DarkroomApiError';
    this.code = options.code;
    this.status = options.status;
    this.details = options.details;
  }
}

export interface ImageReference { asset_id: string; gallery_id: string; url: string; width: number; height: number; mime_type: string }
export interface FeatureInfo {
  id: string;
  route: string;
  path: string;
  title: string;
  description: string;
  capability: string;
  input_schema: Record<string, unknown>;
  image_fields: string[];
  async: boolean;
}
export interface FeatureResult { job_id?: string; feature: string; images: ImageReference[]; provider: string; model: string; seed?: number; metadata: Record<string, unknown> }
export interface AcceptedJob { job_id: string; status: string; status_url: string; events_url: string }
export interface Job { id: string; kind: string; state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'; progress: number; result: unknown; error: { code: string; message: string } | null; steps: Array<{ key: string; status: string }> }
export interface Session { session_id: string; id: string; title: string | null }
export interface Message {
  id: string;
  session_id: string;
  role: 'user' | 'assistant';
  content: string;
  status: 'PROCESSING' | 'DONE' | 'FAILED' | null;
  asset_id: string | null;
  job_id: string | null;
  images?: Array<ImageReference & { feature: string }>;
  clarification?: string;
  error?: { code: string; message: string };
  image_url?: string;
  refined_prompt?: string;
  intents?: Array<{ intent: string; feature: string; confidence: number }>;
  created_at: string;
}
export interface GalleryItem {
  id: string;
  asset_id: string;
  image_url: string;
  refined_prompt: string | null;
  intent: string | null;
  feature: string | null;
  provider: string | null;
  model: string | null;
  seed: number | null;
  metadata: Record<string, unknown> & { source: 'chat' | 'direct' };
  created_at: string;
  deleted_at: string | null;
}
export interface GalleryQuery { limit?: number; cursor?: string; source?: 'chat' | 'direct'; intent?: string; session_id?: string }
export interface StreamEvent { event: string; data: any; id?: string }
/** An image in a request: a data URI, `{ asset_id }`, or an http(s) URL. */
export type ImageInput = string | { asset_id: string };

export interface DarkroomClient {
  features: {
    list(): Promise<FeatureInfo[]>;
    run(id: string, input: Record<string, unknown>): Promise<FeatureResult>;
    submit(id: string, input: Record<string, unknown>): Promise<AcceptedJob>;
  };
  jobs: {
    get(id: string): Promise<Job>;
    wait(id: string, options?: { onProgress?: (progress: { progress: number; step?: string }) => void; signal?: AbortSignal }): Promise<Job>;
    cancel(id: string): Promise<Job>;
  };
  sessions: {
    create(options?: { title?: string }): Promise<Session>;
    send(id: string, message: { content: string; image?: ImageInput; mask?: ImageInput }): Promise<{ message_id: string; user_message_id: string; job_id: string }>;
    message(id: string, messageId: string): Promise<Message>;
    messages(id: string): Promise<Message[]>;
    events(id: string, options?: { signal?: AbortSignal }): AsyncIterable<StreamEvent>;
  };
  gallery: {
    list(query?: GalleryQuery): Promise<{ items: GalleryItem[]; next_cursor: string | null }>;
    listDeleted(query?: GalleryQuery): Promise<{ items: GalleryItem[]; next_cursor: string | null }>;
    get(id: string): Promise<GalleryItem>;
    delete(id: string): Promise<void>;
    restore(id: string): Promise<GalleryItem>;
    deletePermanently(id: string): Promise<void>;
  };
  assets: { url(id: string): string; bytes(url: string): Promise<Blob> };
}

async function failure(response: Response): Promise<DarkroomApiError> {
  const body = await response.json().catch(() => undefined);
  const error = body?.error;
  return new DarkroomApiError({ code: error?.code ?? 'http_error', status: response.status, message: error?.message ?? `The server answered ${response.status}`, details: error?.details });
}

async function* readEvents(body: ReadableStream<Uint8Array>): AsyncIterable<StreamEvent> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        let event = 'message';
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue;
          const [field, ...rest] = line.split(':');
          const text = rest.join(':').replace(/^ /, '');
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
          else if (field === 'id') id = text;
        }
        if (data.length) yield { event, data: JSON.parse(data.join('\n')), ...(id ? { id } : {}) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** A client of a Darkroom server at `baseUrl` (with its base path), sending `apiKey` when given. */
export function createDarkroomClient(options: { baseUrl: string; apiKey?: string }): DarkroomClient {
  const base = options.baseUrl.replace(/\/$/, '');
  const headers = (extra: Record<string, string> = {}) => ({ ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...extra });
  async function request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: headers(body === undefined ? extra : { 'content-type': 'application/json', ...extra }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new DarkroomApiError({ code: 'network_error', status: 0, message: `The server did not answer: ${(error as Error).message}` });
    }
    if (!response.ok) throw await failure(response);
    return response;
  }
  const json = async <T>(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<T> => (await request(method, path, body, extra)).json() as Promise<T>;
  const query = (values: GalleryQuery = {}) => {
    const search = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => [key, String(value)]));
    return search.size ? `?${search}` : '';
  };
  let features: FeatureInfo[] | undefined;
  const routeOf = async (id: string) => {
    features ??= await client.features.list();
    const found = features.find((feature) => feature.id === id);
    if (!found) throw new DarkroomApiError({ code: 'not_found', status: 404, message: `No feature ${id}` });
    return found.route;
  };
  const client: DarkroomClient = {
    features: {
      list: async () => (await json<{ features: FeatureInfo[] }>('GET', '/v1/features')).features,
      run: async (id, input) => json('POST', `/v1/features/${await routeOf(id)}`, input),
      submit: async (id, input) => json('POST', `/v1/features/${await routeOf(id)}`, input, { prefer: 'respond-async' }),
    },
    jobs: {
      get: (id) => json('GET', `/v1/jobs/${encodeURIComponent(id)}`),
      cancel: (id) => json('DELETE', `/v1/jobs/${encodeURIComponent(id)}`),
      async wait(id, waitOptions = {}) {
        const response = await request('GET', `/v1/jobs/${encodeURIComponent(id)}/events`, undefined, {}, waitOptions.signal);
        let step: string | undefined;
        let progress = 0;
        for await (const { event, data } of readEvents(response.body!)) {
          if (event === 'step.started') step = data.step;
          if (event === 'job.progress' || event === 'snapshot') progress = data.progress;
          if (['job.progress', 'step.started', 'snapshot'].includes(event)) waitOptions.onProgress?.({ progress, ...(step ? { step } : {}) });
          if (['job.succeeded', 'job.failed', 'job.cancelled'].includes(event) || (event === 'snapshot' && ['succeeded', 'failed', 'cancelled'].includes(data.state))) break;
        }
        return client.jobs.get(id);
      },
    },
    sessions: {
      create: (createOptions = {}) => json('POST', '/api/v1/chat/sessions', { title: createOptions.title ?? null }),
      send: (id, message) => json('POST', `/api/v1/chat/sessions/${encodeURIComponent(id)}/messages`, message),
      message: (id, messageId) => json('GET', `/api/v1/chat/sessions/${encodeURIComponent(id)}/messages/${encodeURIComponent(messageId)}`),
      messages: async (id) => (await json<{ messages: Message[] }>('GET', `/api/v1/chat/sessions/${encodeURIComponent(id)}/messages?order=asc&limit=100`)).messages,
      async *events(id, eventOptions = {}) {
        const response = await request('GET', `/api/v1/chat/sessions/${encodeURIComponent(id)}/events`, undefined, {}, eventOptions.signal);
        yield* readEvents(response.body!);
      },
    },
    gallery: {
      list: (values) => json('GET', `/v1/gallery${query(values)}`),
      listDeleted: (values) => json('GET', `/v1/gallery/deleted${query(values)}`),
      get: (id) => json('GET', `/v1/gallery/${encodeURIComponent(id)}`),
      delete: async (id) => void (await request('DELETE', `/v1/gallery/${encodeURIComponent(id)}`)),
      restore: (id) => json('POST', `/v1/gallery/${encodeURIComponent(id)}/restore`),
      deletePermanently: async (id) => void (await request('DELETE', `/v1/gallery/${encodeURIComponent(id)}/permanent`)),
    },
    assets: {
      url: (id) => `${base}/v1/assets/${encodeURIComponent(id)}`,
      bytes: async (url) => (await fetch(new URL(url, `${location.origin}/`), { headers: headers() }).then(async (response) => (response.ok ? response : Promise.reject(await failure(response))))).blob(),
    },
  };
  return client;
}

// One API process (`serve --api-only`) and N workers (`worker --concurrency C`) on a PostgreSQL
// database and a redis-server of their own, sharing one data directory, for the distributed
// end-to-end tests and the throughput bench.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDarkroomProcess, type DarkroomProcess } from './darkroom-process.js';
import { createTestPostgresDatabase, startOwnRedis, type OwnRedis, type TestPostgresDatabase } from './distributed-services.js';

/** Every capability the local provider offers, routed to the slowed copy of it (plus image-to-image). */
export const slowLocalRouting = ['text-to-image', 'image-to-image', 'upscale', 'remove-background', 'inpaint', 'outpaint', 'relight', 'style-transfer', 'enhance']
  .map((capability) => `${capability}=slow-local`)
  .join('; ');

export interface ClusterOptions {
  /** Concurrency of each worker to start; `[]` starts none. */
  workers: number[];
  /** Settings for every process (on top of the cluster's own). */
  env?: Record<string, string>;
  /** Settings for the workers only. */
  workerEnv?: Record<string, string>;
}

/** One line of the shared event log (see distributed-test-plugin.ts). */
export interface LoggedEvent {
  type: string;
  pid: number;
  jobId: string;
  step: string;
  at: number;
}

export interface Cluster {
  api: DarkroomProcess;
  /** Its base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  workers: DarkroomProcess[];
  database: TestPostgresDatabase;
  redis: OwnRedis;
  dataDir: string;
  /** Starts one more worker with this concurrency and waits until it takes jobs. */
  addWorker(concurrency: number): Promise<DarkroomProcess>;
  /** Every event the processes published so far, in the order they were logged. */
  events(): LoggedEvent[];
  /** Stops every process (SIGTERM), drops the database, stops Redis, deletes the data directory. */
  dispose(): Promise<void>;
}

/** The plugin every process loads (by absolute path, as DARKROOM_PLUGINS allows). */
export const distributedTestPlugin = join(import.meta.dirname, 'distributed-test-plugin.ts');

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-distributed-'));
  const eventLog = join(dataDir, 'events.log');
  const database = await createTestPostgresDatabase();
  const redis = await startOwnRedis().catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const shared = {
    DARKROOM_DATABASE_URL: database.url,
    DARKROOM_REDIS_URL: redis.url,
    DARKROOM_DATA_DIR: dataDir,
    DARKROOM_PLUGINS: distributedTestPlugin,
    DARKROOM_TEST_EVENT_LOG: eventLog,
    // One test user sends everything: no per-key rate limit, no cap on waiting jobs.
    DARKROOM_RATE_LIMIT: '0',
    DARKROOM_MAX_QUEUED_JOBS_PER_USER: '0',
    ...options.env,
  };
  const processes: DarkroomProcess[] = [];
  const workers: DarkroomProcess[] = [];
  const addWorker = async (concurrency: number) => {
    const worker = startDarkroomProcess(`worker ${workers.length + 1}`, ['worker', '--concurrency', String(concurrency)], { ...shared, ...options.workerEnv });
    processes.push(worker);
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const dispose = async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await database.drop().catch(() => undefined);
    await redis.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The API process first: it creates the schema (migrations) that the workers then find.
    const api = startDarkroomProcess('api', ['serve', '--api-only'], { ...shared, PORT: '0', HOST: '127.0.0.1' });
    processes.push(api);
    const url = await api.ready;
    await Promise.all(options.workers.map((concurrency) => addWorker(concurrency)));
    return {
      api,
      url,
      workers,
      database,
      redis,
      dataDir,
      addWorker,
      events: () =>
        existsSync(eventLog)
          ? readFileSync(eventLog, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((line) => {
                const [type, pid, jobId, step, at] = line.split(' ') as [string, string, string, string, string];
                return { type, pid: Number(pid), jobId, step, at: Number(at) };
              })
          : [],
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** One Server-Sent Event as a client received it. */
export interface ReceivedEvent {
  event: string;
  data: any;
  id?: string;
  /** When the client had it (epoch ms). */
  at: number;
}

/**
 * Reads an SSE stream until `until` answers true for an event (or `timeoutMs` passes), noting when
 * each event arrived.
 */
export async function readEventStream(
  url: string,
  until: (event: ReceivedEvent, seen: ReceivedEvent[]) => boolean,
  timeoutMs = 60_000,
  headers: Record<string, string> = {},
): Promise<ReceivedEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`${url}: the awaited event did not come in ${timeoutMs} ms`)), timeoutMs);
  const seen: ReceivedEvent[] = [];
  try {
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
        );
        if (fields.event === undefined) continue;
        const received: ReceivedEvent = { event: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined, ...(fields.id ? { id: fields.id } : {}), at: Date.now() };
        seen.push(received);
        if (until(received, seen)) return seen;
      }
    }
    return seen;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** JSON request to the API; answers status and body. */
export async function callApi(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls a job until it is terminal. */
export async function waitForJob(base: string, jobId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await callApi(base, 'GET', `/v1/jobs/${jobId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(body?.state)) return body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${body?.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

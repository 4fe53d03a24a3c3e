import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DarkroomError, untilAborted } from '@darkroom/core';
import { loadModelBytes } from './load-model-bytes.js';
import { onnxRuntimeMissingError } from './onnx-runtime-missing-error.js';
import { onnxRuntimePackage, resolveOnnxRuntime } from './resolve-onnx-runtime.js';

export interface TensorData {
  data: Float32Array;
  dims: number[];
}

/** A model loaded in its own worker thread. */
export interface OnnxModel {
  readonly inputNames: string[];
  readonly outputNames: string[];
  /**
   * Runs inference off the event loop, one run at a time per model. Aborting rejects at once with the
   * signal's reason (an already-aborted signal starts nothing), but a worker inside onnxruntime's
   * native run is never stopped: it finishes, its result is dropped, and runs queued behind it start
   * only then. A crashed worker is replaced (the model reloads) on the next run.
   */
  run(feeds: Record<string, TensorData>, fetches: string[], signal: AbortSignal): Promise<Record<string, TensorData>>;
  /** Resolves when every run accepted so far has left the worker, aborted ones included. */
  idle(): Promise<void>;
}

export interface OnnxSessions {
  /**
   * The model for a source, loaded on first use and then reused. With `signal`, the caller stops
   * waiting at abort (rejecting with its reason) while the load goes on and is kept for later calls.
   */
  get(source: string, signal?: AbortSignal): Promise<OnnxModel>;
  loaded(): string[];
  readonly executionProviders: string[];
  /**
   * Refuses new and queued runs (`provider_unavailable`, retryable), waits for runs in flight (at most
   * `closeTimeoutMs`), then releases the sessions and stops the idle workers. A worker still inside a
   * native run after that is never terminated: it does not hold the process open, and stops once its run ends.
   */
  close(): Promise<void>;
}

/** GPU execution providers when a GPU is present, else CPU; onnxruntime falls back to CPU by itself. */
function preferredExecutionProviders(): string[] {
  return existsSync('/dev/nvidiactl') ? ['cuda', 'cpu'] : ['cpu'];
}

const workerSource = (ortPath: string) => `
const { parentPort } = require('node:worker_threads');
const ort = require(${JSON.stringify(ortPath)});
let session;
parentPort.on('message', async (message) => {
  try {
    if (message.type === 'load') {
      const settings = { graphOptimizationLevel: 'all', intraOpNumThreads: message.threads, interOpNumThreads: 1 };
      try {
        session = await ort.InferenceSession.create(message.bytes, { ...settings, executionProviders: message.executionProviders });
      } catch (error) {
        session = await ort.InferenceSession.create(message.bytes, { ...settings, executionProviders: ['cpu'] });
      }
      parentPort.postMessage({ type: 'loaded', inputNames: session.inputNames, outputNames: session.outputNames });
      return;
    }
    if (message.type === 'release') {
      await (session && session.release());
      session = undefined;
      parentPort.postMessage({ type: 'released' });
      return;
    }
    const feeds = {};
    for (const [name, tensor] of Object.entries(message.feeds)) feeds[name] = new ort.Tensor('float32', tensor.data, tensor.dims);
    const results = await session.run(feeds, message.fetches);
    const outputs = {};
    const transfer = [];
    for (const name of message.fetches) {
      const data = results[name].data;
      outputs[name] = { data, dims: results[name].dims };
      transfer.push(data.buffer);
    }
    parentPort.postMessage({ type: 'result', outputs }, transfer);
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
});`;

const closedError = () => new DarkroomError({ code: 'provider_unavailable', message: 'The local provider is closed; ONNX models take no new runs', retryable: true });
const crashedError = (reason: string) => new DarkroomError({ code: 'internal', message: `The ONNX worker crashed: ${reason}`, retryable: true });

export interface OnnxSessionsOptions {
  threads?: number;
  executionProviders?: string[];
  closeTimeoutMs?: number;
  /** The onnxruntime package (resolved from this package); defaults to `onnxruntime-node`. */
  runtime?: string;
}

/**
 * One onnxruntime session per model, each in a worker thread of its own, loaded lazily. Requests to
 * one model run one at a time (onnxruntime already uses every core for one inference). Workers are
 * only ever terminated while idle: terminating one inside a native call aborts the whole process.
 * The runtime is looked up on the first `get`, not before: without it, `get` rejects with a
 * `configuration` error naming the model and the package to install.
 */
export function createOnnxSessions(options: OnnxSessionsOptions = {}): OnnxSessions {
  const executionProviders = options.executionProviders ?? preferredExecutionProviders();
  const threads = options.threads ?? availableParallelism();
  const closeTimeoutMs = options.closeTimeoutMs ?? 30_000;
  const runtime = options.runtime ?? onnxRuntimePackage;
  /** The runtime's entry file, once found (a failed lookup is repeated on the next load). */
  let ortPath: string | undefined;
  const models = new Map<string, Promise<OnnxModel>>();
  /** Live workers (removed when they crash or exit). */
  const workers = new Set<Worker>();
  /** Workers with a request in flight, each with a promise that settles when it replies (or dies). */
  const busy = new Map<Worker, Promise<void>>();
  let closed = false;

  /** Releases the session, then terminates the worker: only ever called on an idle worker. */
  const retire = async (worker: Worker) => {
    if (!workers.delete(worker)) return;
    await request(worker, { type: 'release' }).catch(() => undefined);
    await worker.terminate();
  };

  const request = (worker: Worker, message: unknown, transfer: ArrayBuffer[] = []) => {
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (answer: Record<string, unknown>) => {
        settle();
        if (answer.type === 'error') reject(new DarkroomError({ code: 'internal', message: `ONNX inference failed: ${answer.message}` }));
        else resolve(answer);
      };
      const onError = (error: Error) => {
        settle();
        reject(crashedError(error.message));
      };
      const onExit = (code: number) => {
        settle();
        reject(crashedError(`it exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(message, transfer);
    });
    const replied = reply.then(
      () => undefined,
      () => undefined,
    );
    busy.set(worker, replied);
    void replied.then(() => busy.delete(worker));
    return reply;
  };

  const spawn = (runtimePath: string) => {
    if (closed) throw closedError();
    const worker = new Worker(workerSource(runtimePath), { eval: true });
    worker.unref();
    workers.add(worker);
    // A crash is reported to the request in flight, if any; either way the worker is replaced on next use.
    worker.on('error', () => workers.delete(worker));
    worker.once('exit', () => workers.delete(worker));
    return worker;
  };

  const load = async (source: string): Promise<OnnxModel> => {
    ortPath ??= resolveOnnxRuntime(runtime);
    if (!ortPath) throw onnxRuntimeMissingError([`model ${source}`], runtime);
    const runtimePath = ortPath;
    const bytes = await loadModelBytes(source);
    const start = async () => {
      const worker = spawn(runtimePath);
      const copy = new Uint8Array(bytes);
      const loaded = await request(worker, { type: 'load', bytes: copy, threads, executionProviders }, [copy.buffer]).catch((error: unknown) => {
        // The worker answered (or died): it is not inside native code, so stopping it is safe.
        workers.delete(worker);
        void worker.terminate();
        throw new DarkroomError({ code: 'configuration', message: `The ONNX model ${source} could not be loaded: ${(error as Error).message}` });
      });
      return { worker, inputNames: loaded.inputNames as string[], outputNames: loaded.outputNames as string[] };
    };
    let current = await start();
    // Follows the worker's real replies, never a caller's promise: a run starts only when the worker is free.
    let queue: Promise<void> = Promise.resolve();
    return {
      inputNames: current.inputNames,
      outputNames: current.outputNames,
      run(feeds, fetches, signal) {
        if (closed) return Promise.reject(closedError());
        if (signal.aborted) return Promise.reject(signal.reason);
        return new Promise((resolve, reject) => {
          const onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          queue = queue.then(async () => {
            try {
              if (signal.aborted) return;
              if (closed) throw closedError();
              if (!workers.has(current.worker)) current = await start();
              const transfer = Object.values(feeds).map((tensor) => tensor.data.buffer as ArrayBuffer);
              // After an abort the caller has its answer already: this result is dropped.
              resolve((await request(current.worker, { type: 'run', feeds, fetches }, transfer)).outputs as Record<string, TensorData>);
            } catch (error) {
              reject(error);
            } finally {
              signal.removeEventListener('abort', onAbort);
            }
          });
        });
      },
      idle: () => queue,
    };
  };

  return {
    executionProviders,
    get(source, signal) {
      if (closed) return Promise.reject(closedError());
      if (signal?.aborted) return Promise.reject(signal.reason);
      let model = models.get(source);
      if (!model) {
        model = load(source).catch((error: unknown) => {
          models.delete(source);
          throw error;
        });
        models.set(source, model);
      }
      return signal ? untilAborted(model, signal) : model;
    },
    loaded: () => [...models.keys()],
    async close() {
      closed = true;
      models.clear();
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, closeTimeoutMs).unref()));
      await Promise.race([Promise.all(busy.values()), bound]);
      clearTimeout(timer);
      const idle = [...workers].filter((worker) => !busy.has(worker));
      // A run that outlasted the wait: its worker is stopped once the run ends, never during it.
      for (const [worker, replied] of busy) void replied.then(() => retire(worker));
      await Promise.all(idle.map(retire));
    },
  };
}

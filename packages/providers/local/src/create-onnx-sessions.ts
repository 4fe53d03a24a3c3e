import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as workerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { DarkroomError, untilAborted } from '@darkroom/core';
import { modelSource } from './load-model-bytes.js';
import { onnxRuntimeMissingError } from './onnx-runtime-missing-error.js';
import { onnxWorkerSource, sessionOptions, type WorkerProgram, type WorkerPrograms } from './onnx-worker-source.js';
import { onnxRuntimePackage, resolveOnnxRuntime } from './resolve-onnx-runtime.js';

/**
 * A tensor sent to or received from a model's worker: float32 values (or int32 ids, e.g. tokens) in
 * row-major order. The worker converts a feed to the element type the model declares for that input
 * (float16, int64, …) and widens float16 outputs to float32.
 */
export interface TensorData {
  data: Float32Array | Int32Array;
  dims: number[];
}

/** An input or output of a model as its session declares it. */
export interface OnnxValueInfo {
  name: string;
  /** Element type, e.g. `float32`, `float16`, `int64`; absent for non-tensors. */
  type?: string;
  /** Dimensions: numbers, or names of symbolic ones (`batch_size`); `[]` for a scalar or an undeclared shape. */
  shape?: Array<number | string>;
}

/** A model loaded in its own worker thread. */
export interface OnnxModel {
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputs: OnnxValueInfo[];
  readonly outputs: OnnxValueInfo[];
  /** The execution providers the session was created with (`['cpu']` after a GPU provider failed to load). */
  readonly executionProviders: string[];
  /**
   * Runs inference off the event loop, one run at a time per model. Aborting rejects at once with the
   * signal's reason (an already-aborted signal starts nothing), but a worker inside onnxruntime's
   * native run is never stopped: it finishes, its result is dropped, and runs queued behind it start
   * only then. A crashed worker is replaced (the model reloads) on the next run.
   */
  run(feeds: Record<string, TensorData>, fetches: string[], signal: AbortSignal): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  /**
   * Runs a worker program (pre-processing, inference, post-processing) in the model's worker, queued
   * and aborted like `run`; an aborted program also stops at its next step (a tile). The input's pixel
   * arrays are transferred to the worker, not copied: the caller must not use them afterwards.
   */
  process<Name extends WorkerProgram>(program: Name, input: Parameters<WorkerPrograms[Name]>[0], signal: AbortSignal): ReturnType<WorkerPrograms[Name]>;
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
  /**
   * Unloads a model: no new runs reach it, its session is released and its worker stopped once the
   * runs accepted so far have left it (never during a native run). The next `get` loads it again.
   * Nothing happens for a model that is not loaded.
   */
  release(source: string): Promise<void>;
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

/** Node ≥ 21 tells which buffers cannot move (sharp's, for one) and throws if they are listed; Node 20 copies them quietly. */
const untransferable = (workerThreads as { isMarkedAsUntransferable?: (value: unknown) => boolean }).isMarkedAsUntransferable ?? (() => false);
/**
 * The buffers to transfer rather than copy: those of typed arrays that own them whole (moving a slice
 * of a shared pool would detach its neighbours) and can move (others are copied).
 */
const ownBuffers = (values: unknown[]): ArrayBuffer[] =>
  values
    .filter((value): value is ArrayBufferView => ArrayBuffer.isView(value) && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && !untransferable(value.buffer))
    .map((value) => value.buffer as ArrayBuffer);
/** sharp, resolved from this package, for the programs that run in a model's worker. */
const sharpPath = createRequire(import.meta.url).resolve('sharp');

const closedError = () => new DarkroomError({ code: 'provider_unavailable', message: 'The local provider is closed; ONNX models take no new runs', retryable: true });
const releasedError = (source: string) =>
  new DarkroomError({ code: 'provider_unavailable', message: `The ONNX model ${source} was unloaded while idle; load it again with sessions.get`, retryable: true });
const crashedError = (reason: string) => new DarkroomError({ code: 'internal', message: `The ONNX worker crashed: ${reason}`, retryable: true });

export interface OnnxSessionsOptions {
  threads?: number;
  /**
   * onnxruntime's CPU memory arena: off by default. It keeps its peak allocation for reuse: a process
   * held 2.4 GB after ten IS-Net runs instead of 0.75 GB, for runs 1.1–1.2× faster (see `sessionOptions`).
   */
  cpuMemArena?: boolean;
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
  const settings = sessionOptions(threads, options.cpuMemArena ?? false);
  const closeTimeoutMs = options.closeTimeoutMs ?? 30_000;
  const runtime = options.runtime ?? onnxRuntimePackage;
  /** The runtime's entry file, once found (a failed lookup is repeated on the next load). */
  let ortPath: string | undefined;
  const models = new Map<string, Promise<OnnxModel>>();
  /** Each loaded model's way to stop its current worker once idle (see `release`). */
  const retirements = new Map<string, () => Promise<void>>();
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

  const request = (worker: Worker, message: unknown, transfer: ArrayBuffer[] = []): Promise<Record<string, unknown>> => {
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (answer: Record<string, unknown>) => {
        settle();
        if (answer.type !== 'error') resolve(answer);
        else if (answer.code === 'configuration' || answer.code === 'cancelled') reject(new DarkroomError({ code: answer.code, message: String(answer.message) }));
        else reject(new DarkroomError({ code: 'internal', message: `ONNX inference failed: ${answer.message}` }));
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
    const worker = new Worker(onnxWorkerSource(runtimePath, sharpPath), { eval: true });
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
    // The model's bytes are read again for a replacement worker rather than kept (they are the model's size).
    const start = async () => {
      const model = await modelSource(source);
      const worker = spawn(runtimePath);
      const transfer = 'bytes' in model ? ownBuffers([model.bytes]) : [];
      const loaded = await request(worker, { type: 'load', ...model, options: settings, executionProviders }, transfer).catch((error: unknown) => {
        // The worker answered (or died): it is not inside native code, so stopping it is safe.
        workers.delete(worker);
        void worker.terminate();
        throw new DarkroomError({ code: 'configuration', message: `The ONNX model ${source} could not be loaded: ${(error as Error).message}` });
      });
      return {
        worker,
        inputNames: loaded.inputNames as string[],
        outputNames: loaded.outputNames as string[],
        inputs: loaded.inputs as OnnxValueInfo[],
        outputs: loaded.outputs as OnnxValueInfo[],
        executionProviders: loaded.executionProviders as string[],
      };
    };
    let current = await start();
    /** Set by `release`: the model takes no more runs (a later `get` loads a new one). */
    let released = false;
    // Follows the worker's real replies, never a caller's promise: a run starts only when the worker is free.
    let queue: Promise<void> = Promise.resolve();
    /** Sends one message to the worker when it is free; the caller stops waiting at abort, and the worker hears of it. */
    const enqueue = (message: Record<string, unknown>, transfer: ArrayBuffer[], signal: AbortSignal): Promise<Record<string, unknown>> => {
      if (closed) return Promise.reject(closedError());
      if (released) return Promise.reject(releasedError(source));
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        let running: Worker | undefined;
        const onAbort = () => {
          reject(signal.reason);
          // A program stops at its next step; a native run goes on to its end either way.
          running?.postMessage({ type: 'cancel' });
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queue = queue.then(async () => {
          try {
            if (signal.aborted) return;
            if (closed) throw closedError();
            if (!workers.has(current.worker)) current = await start();
            running = current.worker;
            // After an abort the caller has its answer already: this result is dropped.
            resolve(await request(current.worker, message, transfer));
          } catch (error) {
            reject(error);
          } finally {
            running = undefined;
            signal.removeEventListener('abort', onAbort);
          }
        });
      });
    };
    retirements.set(source, async () => {
      released = true;
      await queue;
      await retire(current.worker);
    });
    return {
      inputNames: current.inputNames,
      outputNames: current.outputNames,
      inputs: current.inputs,
      outputs: current.outputs,
      executionProviders: current.executionProviders,
      run: async (feeds, fetches, signal) =>
        (await enqueue({ type: 'run', feeds, fetches }, ownBuffers(Object.values(feeds).map((tensor) => tensor.data)), signal)).outputs as Record<string, { data: Float32Array; dims: number[] }>,
      process: (async (program: WorkerProgram, input: Record<string, unknown>, signal: AbortSignal) =>
        (await enqueue({ type: 'program', program, input }, ownBuffers(Object.values(input)), signal)).output) as OnnxModel['process'],
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
    async release(source) {
      const model = models.get(source);
      if (!model) return;
      models.delete(source);
      await model.catch(() => undefined);
      const retirement = retirements.get(source);
      retirements.delete(source);
      await retirement?.();
    },
    async close() {
      closed = true;
      models.clear();
      retirements.clear();
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

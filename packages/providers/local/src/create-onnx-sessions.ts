import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DarkroomError } from '@darkroom/core';
import { loadModelBytes } from './load-model-bytes.js';

export interface TensorData {
  data: Float32Array;
  dims: number[];
}

/** A model loaded in its own worker thread. */
export interface OnnxModel {
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Runs inference off the event loop. Aborting terminates the worker; the model reloads on next use. */
  run(feeds: Record<string, TensorData>, fetches: string[], signal: AbortSignal): Promise<Record<string, TensorData>>;
}

export interface OnnxSessions {
  /** The model for a source, loaded on first use and then reused. */
  get(source: string): Promise<OnnxModel>;
  loaded(): string[];
  readonly executionProviders: string[];
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

/**
 * One onnxruntime session per model, each in a worker thread of its own, loaded lazily. Requests to
 * one model run one at a time (onnxruntime already uses every core for one inference).
 */
export function createOnnxSessions(options: { threads?: number; executionProviders?: string[] } = {}): OnnxSessions {
  const executionProviders = options.executionProviders ?? preferredExecutionProviders();
  const threads = options.threads ?? availableParallelism();
  const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
  const models = new Map<string, Promise<OnnxModel>>();
  const workers = new Set<Worker>();

  const request = (worker: Worker, message: unknown, transfer: ArrayBuffer[] = []) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (reply: Record<string, unknown>) => {
        worker.off('error', onError);
        if (reply.type === 'error') reject(new DarkroomError({ code: 'internal', message: `ONNX inference failed: ${reply.message}` }));
        else resolve(reply);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(new DarkroomError({ code: 'internal', message: `The ONNX worker crashed: ${error.message}`, retryable: true }));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(message, transfer);
    });

  const load = async (source: string): Promise<OnnxModel> => {
    const bytes = await loadModelBytes(source);
    const start = async () => {
      const worker = new Worker(workerSource(ortPath), { eval: true });
      worker.unref();
      workers.add(worker);
      const copy = new Uint8Array(bytes);
      const loaded = await request(worker, { type: 'load', bytes: copy, threads, executionProviders }, [copy.buffer]).catch((error: unknown) => {
        workers.delete(worker);
        void worker.terminate();
        throw new DarkroomError({ code: 'configuration', message: `The ONNX model ${source} could not be loaded: ${(error as Error).message}` });
      });
      return { worker, inputNames: loaded.inputNames as string[], outputNames: loaded.outputNames as string[] };
    };
    let current = await start();
    let queue: Promise<unknown> = Promise.resolve();
    return {
      inputNames: current.inputNames,
      outputNames: current.outputNames,
      run(feeds, fetches, signal) {
        const turn = queue.then(async () => {
          signal.throwIfAborted();
          if (!workers.has(current.worker)) current = await start();
          const { worker } = current;
          let rejectAborted: (reason: unknown) => void = () => undefined;
          const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
          // One listener, removed when the call ends, so a long-lived signal collects none.
          const onAbort = () => {
            workers.delete(worker);
            void worker.terminate();
            rejectAborted(signal.reason);
          };
          signal.addEventListener('abort', onAbort, { once: true });
          try {
            const transfer = Object.values(feeds).map((tensor) => tensor.data.buffer as ArrayBuffer);
            const reply = await Promise.race([request(worker, { type: 'run', feeds, fetches }, transfer), aborted]);
            return reply.outputs as Record<string, TensorData>;
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
        });
        queue = turn.catch(() => undefined);
        return turn;
      },
    };
  };

  return {
    executionProviders,
    get(source) {
      let model = models.get(source);
      if (!model) {
        model = load(source).catch((error: unknown) => {
          models.delete(source);
          throw error;
        });
        models.set(source, model);
      }
      return model;
    },
    loaded: () => [...models.keys()],
    async close() {
      models.clear();
      await Promise.all([...workers].map((worker) => worker.terminate()));
      workers.clear();
    },
  };
}

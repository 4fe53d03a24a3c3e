import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DarkroomError } from '@darkroom/core';
import { blendRegionPixels } from './blend-region-pixels.js';
import { colourMatrixPixels } from './colour-matrix-pixels.js';
import { inpaintPixels } from './inpaint-pixels.js';
import { lanczosUpscale } from './lanczos-resample.js';
import { patchMatchPixels } from './patch-match-pixels.js';
import { relightPixels } from './relight-pixels.js';

/** The pixel operations a pool runs. Each is self-contained, so its source runs as is in a worker. */
const operations = { lanczosUpscale, relightPixels, inpaintPixels, patchMatchPixels, colourMatrixPixels, blendRegionPixels } as const;
type Operations = typeof operations;
export type PixelOperation = keyof Operations;

interface Task {
  operation: PixelOperation;
  args: unknown[];
  transfer: ArrayBuffer[];
  signal: AbortSignal;
  resolve: (pixels: Uint8Array | Uint16Array) => void;
  reject: (error: unknown) => void;
}

// `__name` is the helper esbuild-based loaders (tsx) insert to keep function names; a no-op is enough here.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const __name = (target) => target;
const operations = { ${Object.entries(operations).map(([name, operation]) => `${name}: ${operation.toString()}`).join(',\n')} };
parentPort.on('message', (task) => {
  try {
    const pixels = operations[task.operation](...task.args);
    parentPort.postMessage({ pixels }, [pixels.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});`;

export interface PixelPool {
  /**
   * Runs a pixel operation on a worker thread. Pixel arrays (8-bit `Uint8Array`, 16-bit `Uint16Array`)
   * among the arguments are copied, then transferred; the result has the depth of the input pixels.
   */
  run<Name extends PixelOperation>(operation: Name, args: Parameters<Operations[Name]>, signal: AbortSignal): Promise<ReturnType<Operations[Name]>>;
  close(): Promise<void>;
  readonly size: number;
}

/**
 * Worker threads that run pixel operations (Lanczos resampling, relighting, inpainting by diffusion or PatchMatch, colour matrices, blending generated regions) off the
 * event loop, so a server stays responsive. Workers start lazily; aborting a running task
 * terminates its worker, so the work really stops.
 */
export function createPixelPool(options: { size?: number } = {}): PixelPool {
  const size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const idle: Worker[] = [];
  const queue: Task[] = [];
  let live = 0;
  let closed = false;

  const spawn = () => {
    live += 1;
    const worker = new Worker(workerSource, { eval: true });
    worker.unref();
    return worker;
  };

  const dispatch = () => {
    while (queue.length > 0 && (idle.length > 0 || live < size)) {
      const task = queue.shift()!;
      if (task.signal.aborted) {
        task.reject(task.signal.reason);
        continue;
      }
      const worker = idle.pop() ?? spawn();
      const finish = () => {
        worker.removeAllListeners('message');
        worker.removeAllListeners('error');
        task.signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish();
        live -= 1;
        void worker.terminate();
        task.reject(task.signal.reason);
        dispatch();
      };
      task.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: { pixels?: Uint8Array | Uint16Array; error?: string }) => {
        finish();
        idle.push(worker);
        if (message.pixels) task.resolve(message.pixels);
        else task.reject(new DarkroomError({ code: 'internal', message: `${task.operation} failed: ${message.error}` }));
        dispatch();
      });
      worker.once('error', (error) => {
        finish();
        live -= 1;
        task.reject(new DarkroomError({ code: 'internal', message: `A pixel worker crashed: ${error.message}`, retryable: true }));
        dispatch();
      });
      worker.postMessage({ operation: task.operation, args: task.args }, task.transfer);
    }
  };

  return {
    size,
    run(operation, args, signal) {
      if (closed) return Promise.reject(new DarkroomError({ code: 'provider_unavailable', message: 'The local provider is closed', retryable: true }));
      // Private copies: sharp's buffers may share a pooled ArrayBuffer, which must not be transferred.
      const isPixels = (arg: unknown): arg is Uint8Array | Uint16Array => arg instanceof Uint8Array || arg instanceof Uint16Array;
      const owned = (args as unknown[]).map((arg) => (arg instanceof Uint16Array ? new Uint16Array(arg) : arg instanceof Uint8Array ? new Uint8Array(arg) : arg));
      const transfer = owned.filter(isPixels).map((arg) => arg.buffer as ArrayBuffer);
      return new Promise((resolve, reject) => {
        queue.push({ operation, args: owned, transfer, signal, resolve: resolve as Task['resolve'], reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new DarkroomError({ code: 'cancelled', message: 'The local provider closed' }));
      await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
    },
  };
}

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DarkroomError } from '@darkroom/core';
import { lanczosUpscale } from './lanczos-resample.js';

interface Task {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: number;
  scale: number;
  signal: AbortSignal;
  resolve: (pixels: Uint8Array) => void;
  reject: (error: unknown) => void;
}

// The resampler is self-contained, so its source runs as is in a worker (from TS source or built JS).
// `__name` is the helper esbuild-based loaders (tsx) insert to keep function names; a no-op is enough here.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const __name = (target) => target;
const lanczosUpscale = ${lanczosUpscale.toString()};
parentPort.on('message', (task) => {
  try {
    const pixels = lanczosUpscale(task.pixels, task.width, task.height, task.channels, task.scale);
    parentPort.postMessage({ pixels }, [pixels.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});`;

export interface ResamplePool {
  upscale(pixels: Uint8Array, width: number, height: number, channels: number, scale: number, signal: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
  readonly size: number;
}

/**
 * Worker threads that run the Lanczos resampler off the event loop, so a server stays responsive.
 * Workers start lazily; aborting a running task terminates its worker (the work really stops).
 */
export function createResamplePool(options: { size?: number } = {}): ResamplePool {
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
      worker.on('message', (message: { pixels?: Uint8Array; error?: string }) => {
        finish();
        idle.push(worker);
        if (message.pixels) task.resolve(message.pixels);
        else task.reject(new DarkroomError({ code: 'internal', message: `Resampling failed: ${message.error}` }));
        dispatch();
      });
      worker.once('error', (error) => {
        finish();
        live -= 1;
        task.reject(new DarkroomError({ code: 'internal', message: `Resampling worker crashed: ${error.message}`, retryable: true }));
        dispatch();
      });
      worker.postMessage({ pixels: task.pixels, width: task.width, height: task.height, channels: task.channels, scale: task.scale }, [task.pixels.buffer as ArrayBuffer]);
    }
  };

  return {
    size,
    upscale(pixels, width, height, channels, scale, signal) {
      if (closed) return Promise.reject(new DarkroomError({ code: 'provider_unavailable', message: 'The local provider is closed', retryable: true }));
      // A private copy: sharp's buffers may share a pooled ArrayBuffer, which must not be transferred.
      const own = new Uint8Array(pixels);
      return new Promise((resolve, reject) => {
        queue.push({ pixels: own, width, height, channels, scale, signal, resolve, reject });
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

import { applyModelTiles } from './apply-model-tiles.js';
import { joinAlpha, splitAlpha } from './alpha-planes.js';
import { segmentImage } from './segment-image.js';

/**
 * The programs a model's worker runs around inference: pixels in, pixels out, so the event loop
 * only decodes, sends, receives and encodes. Each is self-contained (it uses nothing but its
 * arguments), so its source runs as is in the worker.
 */
export const workerPrograms = { segmentImage, applyModelTiles } as const;
export type WorkerPrograms = typeof workerPrograms;
export type WorkerProgram = keyof WorkerPrograms;

/**
 * onnxruntime session options, chosen by measurement (`BENCH_ONLY=model-memory npm run bench`, IS-Net
 * at 1024² on 2 cores). The CPU memory arena is off unless asked for: with it the process holds
 * 1.5 GB after one background removal and 2.4 GB after ten (the arena keeps its peak, grown in powers
 * of two); without it 0.72 GB after one and 0.75 GB after fifty. The price is page faults: each run
 * maps its activations afresh, about 0.7 s of system CPU per run, so a removal takes 1.1–1.2× as long
 * as with the arena. The memory pattern (one planned block per run) stays on: with the arena off it
 * costs less than allocating tensor by tensor (0.7 vs 0.9 s of system CPU per run).
 */
export const sessionOptions = (threads: number, cpuMemArena: boolean) => ({
  graphOptimizationLevel: 'all',
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  enableCpuMemArena: cpuMemArena,
  enableMemPattern: true,
});

// `__name` is the helper esbuild-based loaders (tsx, vitest) insert to keep function names; a no-op is enough here.
/** The source of a model's worker thread: one onnxruntime session, and the programs above around it. */
export const onnxWorkerSource = (ortPath: string, sharpPath: string) => `
const { parentPort } = require('node:worker_threads');
const __name = (target) => target;
const ort = require(${JSON.stringify(ortPath)});
let sharp;
const splitAlpha = ${splitAlpha.toString()};
const joinAlpha = ${joinAlpha.toString()};
const programs = { ${Object.entries(workerPrograms).map(([name, program]) => `${name}: ${program.toString()}`).join(',\n')} };
let session;
let cancelled = false;
const context = {
  get session() { return session; },
  ort,
  get sharp() { return (sharp ??= require(${JSON.stringify(sharpPath)})); },
  splitAlpha,
  joinAlpha,
  cancelled: () => cancelled,
};
const untransferable = require('node:worker_threads').isMarkedAsUntransferable || (() => false);
/** The buffers to transfer rather than copy: owned whole (never a slice of a shared pool) and movable. */
const ownBuffers = (values) =>
  values.filter((value) => ArrayBuffer.isView(value) && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && !untransferable(value.buffer)).map((value) => value.buffer);
parentPort.on('message', async (message) => {
  if (message.type === 'cancel') {
    cancelled = true;
    return;
  }
  try {
    if (message.type === 'load') {
      const settings = message.options;
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
    cancelled = false;
    if (message.type === 'program') {
      const output = await programs[message.program](message.input, context);
      parentPort.postMessage({ type: 'result', output }, ownBuffers(Object.values(output)));
      return;
    }
    const feeds = {};
    for (const [name, tensor] of Object.entries(message.feeds)) feeds[name] = new ort.Tensor('float32', tensor.data, tensor.dims);
    const results = await session.run(feeds, message.fetches);
    const outputs = {};
    for (const name of message.fetches) outputs[name] = { data: results[name].data, dims: results[name].dims };
    parentPort.postMessage({ type: 'result', outputs }, ownBuffers(Object.values(outputs).map((output) => output.data)));
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error), code: error && error.code });
  }
});`;

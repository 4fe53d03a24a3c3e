import { applyInpaintingModel } from './apply-inpainting-model.js';
import { applyModelTiles } from './apply-model-tiles.js';
import { joinAlpha, splitAlpha } from './alpha-planes.js';
import { segmentImage } from './segment-image.js';
import { decodeLatents } from './diffusion/decode-latents.js';
import { encodePixels } from './diffusion/encode-pixels.js';

/**
 * The programs a model's worker runs around inference: pixels in, pixels out, so the event loop
 * only decodes, sends, receives and encodes. Each is self-contained (it uses nothing but its
 * arguments), so its source runs as is in the worker.
 */
export const workerPrograms = { segmentImage, applyModelTiles, applyInpaintingModel, decodeLatents, encodePixels } as const;
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
/** The element type of each input, as the session declares it: feeds are converted to it. */
let inputTypes = {};
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** IEEE half-precision bits of a number (round half up; overflow to infinity). */
const halfBits = (value) => {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 112;
  const mantissa = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | (mantissa ? 0x7e00 : 0x7c00);
  if (exponent >= 31) return sign | 0x7c00;
  if (exponent <= 0) return exponent < -10 ? sign : sign | (((mantissa | 0x800000) >> (1 - exponent)) + 0x1000) >> 13;
  return sign | Math.min(0x7c00, (exponent << 10) + ((mantissa + 0x1000) >> 13));
};
const halfValue = (bits) => {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
};
/** A feed ({ data: Float32Array | Int32Array, dims }) as a tensor of the input's declared type (float32, float16, int64, int32, float64). */
const toTensor = (name, tensor) => {
  const source = tensor.data;
  const type = inputTypes[name] || (source instanceof Int32Array ? 'int32' : 'float32');
  let data;
  if (type === 'float32') data = source instanceof Float32Array ? source : Float32Array.from(source);
  else if (type === 'float16') data = Uint16Array.from(source, halfBits);
  else if (type === 'int64') data = BigInt64Array.from(source, (value) => BigInt(Math.round(value)));
  else if (type === 'int32') data = source instanceof Int32Array ? source : Int32Array.from(source, Math.round);
  else if (type === 'float64') data = Float64Array.from(source);
  else throw new Error('input ' + name + ' has type ' + type + ', which this pipeline cannot feed');
  return new ort.Tensor(type, data, tensor.dims);
};
/** An output's values as float32 (float16 and float64 outputs are converted). */
const toFloat32 = (value) => {
  if (value.type === 'float16') return Float32Array.from(value.data, (bits) => (typeof bits === 'number' ? halfValue(bits) : bits));
  if (value.data instanceof Float32Array) return value.data;
  return Float32Array.from(value.data, Number);
};
const metadataOf = (entries) =>
  (entries || []).map((entry) => ({ name: entry.name, ...(entry.isTensor ? { type: entry.type, shape: Array.from(entry.shape) } : {}) }));
const context = {
  get session() { return session; },
  ort,
  get sharp() { return (sharp ??= require(${JSON.stringify(sharpPath)})); },
  splitAlpha,
  joinAlpha,
  toTensor,
  toFloat32,
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
      // A path lets onnxruntime read the weights itself, external data files (model.onnx_data) included.
      const model = message.path || message.bytes;
      let executionProviders = message.executionProviders;
      try {
        session = await ort.InferenceSession.create(model, { ...settings, executionProviders });
      } catch (error) {
        if (executionProviders.length === 1 && executionProviders[0] === 'cpu') throw error;
        executionProviders = ['cpu'];
        session = await ort.InferenceSession.create(model, { ...settings, executionProviders });
      }
      const inputs = metadataOf(session.inputMetadata);
      inputTypes = Object.fromEntries(inputs.filter((input) => input.type).map((input) => [input.name, input.type]));
      parentPort.postMessage({ type: 'loaded', inputNames: session.inputNames, outputNames: session.outputNames, inputs, outputs: metadataOf(session.outputMetadata), executionProviders });
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
    for (const [name, tensor] of Object.entries(message.feeds)) feeds[name] = toTensor(name, tensor);
    const results = await session.run(feeds, message.fetches);
    const outputs = {};
    for (const name of message.fetches) outputs[name] = { data: toFloat32(results[name]), dims: Array.from(results[name].dims) };
    parentPort.postMessage({ type: 'result', outputs }, ownBuffers(Object.values(outputs).map((output) => output.data)));
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error), code: error && error.code });
  }
});`;

// Local diffusion (issue 17): milliseconds per denoising step through the local provider's pipeline
// (text encoding once, then per step: scheduler arithmetic here, the UNet in its worker; then the VAE),
// each compared with the bare UNet `session.run` on the same inputs in the same run (the baseline), and
// the event loop's delay while the pipeline runs. NO REAL WEIGHTS EXIST HERE: two stand-in UNets are run.
//   1. `tiny`: the test model of writeTinyDiffusionModel (Optimum's signatures, a few elementwise ops) at
//      64² pixels: what the pipeline itself costs per step (workers, messages, scheduler), nothing else.
//   2. `conv proxy`: a synthetic UNet built here with Optimum's UNet signature whose body is a chain of
//      3×3 convolutions at SD 1.5's widths and resolutions for a 512² image (64² latents: 320 channels at
//      64², 640 at 32², 1280 at 16² and 8²), sized to about the multiply-adds of SD 1.5's ResNet convolutions
//      (our count: ≈ 200 G per image); it has no attention, no norms, no skip connections. Its step time is
//      a floor for a real SD 1.5 step on this CPU (attention and the rest add to it), not a measurement of one.
// BENCH_DIFFUSION_STEPS (default 3) sets the steps of the measured runs; per step = (t(steps) − t(1)) ÷ (steps − 1).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { createLocalProvider } from '@darkroom/provider-local';
import { writeTinyDiffusionModel } from '@darkroom/provider-local/testing';
import { attribute, externalFloatTensor, floatTensor, node, onnxModel } from '../packages/providers/local/src/testing-onnx-protobuf.ts';
import { mean } from './measure.ts';

const steps = Number(process.env.BENCH_DIFFUSION_STEPS ?? 3);
const directory = mkdtempSync(join(tmpdir(), 'darkroom-bench-diffusion-'));
const checkpoint = { get: () => undefined, set: async () => undefined };

/** The conv proxy's layers: [input channels, output channels, side of the output, stride, count]. */
const proxyLayers: Array<[number, number, number, number, number]> = [
  [4, 320, 64, 1, 1],
  [320, 320, 64, 1, 17],
  [320, 640, 32, 2, 1],
  [640, 640, 32, 1, 15],
  [640, 1280, 16, 2, 1],
  [1280, 1280, 16, 1, 12],
  [1280, 1280, 8, 2, 1],
  [1280, 1280, 8, 1, 15],
  [1280, 4, 8, 1, 1],
];
/** Multiply-adds of one image through the proxy (batch 1). */
const proxyMacs = proxyLayers.reduce((sum, [input, output, side, , count]) => sum + count * side * side * input * output * 9, 0);

/**
 * Writes the conv proxy over a tiny model's unet/: Optimum's UNet inputs (sample, timestep, encoder_hidden_states;
 * the last two unused) → out_sample, the latents' size restored by a nearest-neighbour Resize at the end. Weights
 * (one tensor per distinct shape, shared by the repeated layers) live in unet/model.onnx_data, as exports over 2 GB keep them.
 */
function writeConvProxy(folder: string): void {
  const weights: Array<[string, number[]]> = [];
  const nodes: number[][] = [];
  let current = 'sample';
  for (const [index, [input, output, , stride, count]] of proxyLayers.entries()) {
    const name = `w${input}x${output}`;
    if (!weights.some(([existing]) => existing === name)) weights.push([name, [output, input, 3, 3]]);
    for (let layer = 0; layer < count; layer += 1) {
      const conv = `conv.${index}.${layer}`;
      nodes.push(node('Conv', [current, name], [conv], [attribute.ints('pads', [1, 1, 1, 1]), attribute.ints('strides', layer === 0 ? [stride, stride] : [1, 1])]));
      current = conv;
      if (output !== 4) {
        nodes.push(node('Tanh', [conv], [`${conv}.act`]));
        current = `${conv}.act`;
      }
    }
  }
  nodes.push(node('Resize', [current, '', 'scales'], ['out_sample'], [attribute.string('mode', 'nearest'), attribute.string('coordinate_transformation_mode', 'asymmetric'), attribute.string('nearest_mode', 'floor')]));
  let offset = 0;
  const initializers = weights.map(([name, dims]) => {
    const length = dims.reduce((a, b) => a * b, 1) * 4;
    const tensor = externalFloatTensor(name, dims, 'model.onnx_data', offset, length);
    offset += length;
    return tensor;
  });
  const data = new Float32Array(offset / 4);
  let seed = 1;
  for (let index = 0; index < data.length; index += 1) data[index] = ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.05;
  writeFileSync(join(folder, 'unet', 'model.onnx_data'), data);
  // Native resolution 512² (sample_size 64 latents), like SD 1.5: the pipeline works at 512² instead of scaling to the tiny model's 64².
  const config = JSON.parse(readFileSync(join(folder, 'unet', 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(folder, 'unet', 'config.json'), JSON.stringify({ ...config, sample_size: 64 }));
  writeFileSync(
    join(folder, 'unet', 'model.onnx'),
    onnxModel({
      nodes,
      initializers: [...initializers, floatTensor('scales', [4], [1, 1, 8, 8])],
      inputs: [{ name: 'sample', dims: ['batch_size', 4, 'height', 'width'] }, { name: 'timestep', dims: [] }, { name: 'encoder_hidden_states', dims: ['batch_size', 'sequence_length', 32] }],
      outputs: [{ name: 'out_sample', dims: ['batch_size', 4, 'height', 'width'] }],
      opset: 17,
    }),
  );
}

interface Case {
  name: string;
  folder: string;
  size: number;
  steps: number;
}
const tiny = writeTinyDiffusionModel(join(directory, 'tiny'), { family: 'sd', schedulerConfig: { _class_name: 'DDIMScheduler' } });
const proxy = writeTinyDiffusionModel(join(directory, 'proxy'), { family: 'sd', schedulerConfig: { _class_name: 'DDIMScheduler' } });
writeConvProxy(proxy.path);
const cases: Case[] = [
  { name: 'tiny test UNet, 64² image', folder: tiny.path, size: 64, steps: 40 },
  { name: `conv proxy UNet (${(proxyMacs / 1e9).toFixed(0)} G multiply-adds per image, no attention), 512² image`, folder: proxy.path, size: 512, steps },
];

const rows = [];
for (const entry of cases) {
  const local = createLocalProvider({ diffusion: { models: { bench: entry.folder }, idleMs: 600_000 } });
  const generate = (count: number) =>
    local.handlers['text-to-image']!({ prompt: 'a photo of a cat', width: entry.size, height: entry.size, seed: 1, steps: count, guidance: 7.5 }, { signal: new AbortController().signal, model: 'bench', checkpoint });
  await generate(1); // loads the pipeline
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const one = performance.now();
  await generate(1);
  const oneMs = performance.now() - one;
  const many = performance.now();
  const result = await generate(entry.steps);
  const manyMs = performance.now() - many;
  delay.disable();
  if (result.metadata?.generated_size !== `${entry.size}×${entry.size}`) throw new Error(`worked at ${String(result.metadata?.generated_size)}, not ${entry.size}²`);
  const perStep = (manyMs - oneMs) / (entry.steps - 1);
  await local.close?.();

  // Baseline: the bare UNet, batch 2 (classifier-free guidance), on this thread with onnxruntime-node.
  const session = await ort.InferenceSession.create(join(entry.folder, 'unet', 'model.onnx'), { graphOptimizationLevel: 'all', enableCpuMemArena: false });
  const latent = entry.size / 8;
  const feeds = {
    sample: new ort.Tensor('float32', new Float32Array(2 * 4 * latent * latent).fill(0.1), [2, 4, latent, latent]),
    timestep: new ort.Tensor('float32', Float32Array.of(500), []),
    encoder_hidden_states: new ort.Tensor('float32', new Float32Array(2 * 77 * 32).fill(0.01), [2, 77, 32]),
  };
  await session.run(feeds);
  const bare: number[] = [];
  for (let run = 0; run < Math.min(entry.steps, 10); run += 1) {
    const started = performance.now();
    await session.run(feeds);
    bare.push(performance.now() - started);
  }
  await session.release();
  const overhead = perStep / mean(bare);
  const lag = delay.percentile(99) / 1e6;
  rows.push({
    case: entry.name,
    'pipeline ms/step': perStep.toFixed(1),
    'bare UNet ms/run (baseline)': mean(bare).toFixed(1),
    'ratio vs baseline': overhead.toFixed(2),
    'run ms (1 step, incl. text + VAE)': oneMs.toFixed(0),
    'event loop p99 delay ms': lag.toFixed(1),
    goal: entry.size >= 512 ? 'step ≤ 1.05 × bare UNet; loop p99 ≤ 50 ms' : 'loop p99 ≤ 50 ms',
    met: (entry.size < 512 || overhead <= 1.05) && lag <= 50 ? 'yes' : 'NO',
  });
}
console.log(`\nLocal diffusion: ms per denoising step (batch 2 with guidance), from runs of 1 and of 40 (tiny) or ${steps} (proxy) steps; baseline = the bare UNet session.run (no real weights here: see bench/diffusion.ts)`);
console.table(rows);
rmSync(directory, { recursive: true, force: true });

import { describe, expect, it } from 'vitest';
import type { OnnxModel, OnnxValueInfo, TensorData } from '../create-onnx-sessions.js';
import { conditioningOutput, type PromptConditioning } from './encode-prompt.js';
import { guidanceScaleEmbedding } from './guidance-scale-embedding.js';
import { createNoisePredictor } from './predict-noise.js';

/** A UNet stand-in that records its feeds and answers `out_sample` = the sample's first 4 channels + 1000 × the batch index. */
function fakeUnet(inputs: OnnxValueInfo[]) {
  const calls: Array<Record<string, TensorData>> = [];
  const model = {
    inputNames: inputs.map((input) => input.name),
    outputNames: ['out_sample'],
    inputs,
    outputs: [{ name: 'out_sample' }],
    executionProviders: ['cpu'],
    async run(feeds: Record<string, TensorData>) {
      calls.push(feeds);
      const [batch, channels, height, width] = feeds.sample!.dims as [number, number, number, number];
      const plane = height * width;
      const out = new Float32Array(batch * 4 * plane);
      for (let entry = 0; entry < batch; entry += 1) {
        for (let index = 0; index < 4 * plane; index += 1) out[entry * 4 * plane + index] = feeds.sample!.data[entry * channels * plane + index]! + 1000 * entry;
      }
      return { out_sample: { data: out, dims: [batch, 4, height, width] } };
    },
  } as unknown as OnnxModel;
  return { model, calls };
}

const conditioning = (batch: number, width = 3): PromptConditioning => ({
  hiddenStates: { data: Float32Array.from({ length: batch * 2 * width }, (_, index) => index), dims: [batch, 2, width] },
  batch,
});
const size = { width: 16, height: 8, latentWidth: 2, latentHeight: 1 };
const signal = new AbortController().signal;

describe('createNoisePredictor', () => {
  it('runs [negative, positive] and answers negative + guidance × (positive − negative); the timestep in the declared shape', async () => {
    const { model, calls } = fakeUnet([{ name: 'sample', type: 'float32' }, { name: 'timestep', type: 'float32', shape: [] }, { name: 'encoder_hidden_states', type: 'float32' }]);
    const predictor = createNoisePredictor(model, { conditioning: conditioning(2), guidance: 7.5, ...size });
    const input = Float32Array.from({ length: 8 }, (_, index) => index / 10);
    const output = await predictor.predict(input, 4, 981, signal);
    // negative = input, positive = input + 1000: guided = input + 7.5 × 1000.
    expect(output).toHaveLength(8);
    output.forEach((value, index) => expect(value).toBeCloseTo(input[index]! + 7500, 2));
    expect(calls[0]!.sample!.dims).toEqual([2, 4, 1, 2]);
    expect(calls[0]!.timestep).toEqual({ data: Float32Array.of(981), dims: [] });
    expect(calls[0]!.encoder_hidden_states!.dims).toEqual([2, 2, 3]);
    expect(predictor.embedsGuidance).toBe(false);
    // Feeds move to the worker: the conditioning is copied for every step, never handed over.
    await predictor.predict(input, 4, 961, signal);
    expect(calls[1]!.encoder_hidden_states!.data).not.toBe(calls[0]!.encoder_hidden_states!.data);
  });

  it('feeds a timestep per batch entry, or [1], as the UNet declares it', async () => {
    for (const [shape, dims] of [[['steps'], [2]], [[1], [1]], [['batch'], [2]]] as const) {
      const { model, calls } = fakeUnet([{ name: 'sample' }, { name: 'timestep', type: 'int64', shape: [...shape] }, { name: 'encoder_hidden_states' }]);
      await createNoisePredictor(model, { conditioning: conditioning(2), guidance: 5, ...size }).predict(new Float32Array(8), 4, 500, signal);
      expect(calls[0]!.timestep!.dims).toEqual(dims);
    }
  });

  it('SDXL: text_embeds and time_ids [height, width, 0, 0, height, width] for each batch entry', async () => {
    const { model, calls } = fakeUnet(['sample', 'timestep', 'encoder_hidden_states', 'text_embeds', 'time_ids'].map((name) => ({ name })));
    const pooled = { data: Float32Array.of(1, 2, 3, 4), dims: [2, 2] };
    await createNoisePredictor(model, { conditioning: { ...conditioning(2), textEmbeds: pooled }, guidance: 5, ...size }).predict(new Float32Array(8), 4, 1, signal);
    expect(calls[0]!.text_embeds).toEqual(pooled);
    expect(calls[0]!.time_ids).toEqual({ data: Float32Array.of(8, 16, 0, 0, 8, 16, 8, 16, 0, 0, 8, 16), dims: [2, 6] });
  });

  it('LCM: the guidance goes in as timestep_cond (the embedding of guidance − 1), one batch entry', async () => {
    const { model, calls } = fakeUnet([{ name: 'sample' }, { name: 'timestep' }, { name: 'encoder_hidden_states' }, { name: 'timestep_cond', type: 'float32', shape: ['batch_size', 8] }]);
    const predictor = createNoisePredictor(model, { conditioning: conditioning(1), guidance: 8.5, ...size });
    expect(predictor.embedsGuidance).toBe(true);
    const output = await predictor.predict(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 4, 999, signal);
    expect(Array.from(output)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(calls[0]!.timestep_cond).toEqual({ data: guidanceScaleEmbedding(7.5, 8), dims: [1, 8] });
  });

  it('refuses a UNet with inputs it does not know, naming them', () => {
    const { model } = fakeUnet([{ name: 'sample' }, { name: 'timestep' }, { name: 'encoder_hidden_states' }, { name: 'image_embeds' }]);
    expect(() => createNoisePredictor(model, { conditioning: conditioning(1), guidance: 1, ...size })).toThrow(/does not feed \(image_embeds\)/);
  });
});

describe('guidanceScaleEmbedding', () => {
  it('is diffusers\' get_guidance_scale_embedding: sin then cos of w × 1000 × 10000^(−k / (half − 1))', () => {
    const embedding = guidanceScaleEmbedding(0.5, 4);
    expect(Array.from(embedding)).toEqual(Array.from([Math.sin(500), Math.sin(500 / 10000), Math.cos(500), Math.cos(500 / 10000)], Math.fround));
    expect(guidanceScaleEmbedding(1, 5)[4]).toBe(0);
  });
});

describe('conditioningOutput', () => {
  const encoder = (outputNames: string[]) => ({ outputNames }) as unknown as OnnxModel;
  it('is the penultimate hidden state for SDXL, last_hidden_state otherwise', () => {
    const names = ['text_embeds', 'last_hidden_state', ...Array.from({ length: 33 }, (_, index) => `hidden_states.${index}`)];
    expect(conditioningOutput(encoder(names), true)).toBe('hidden_states.31');
    expect(conditioningOutput(encoder(names), false)).toBe('last_hidden_state');
    expect(conditioningOutput(encoder(['last_hidden_state', 'pooler_output']), true)).toBe('last_hidden_state');
  });
});

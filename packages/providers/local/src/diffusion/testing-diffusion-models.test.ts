import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyDiffusionModel } from './testing-diffusion-models.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-tiny-diffusion-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

type Signature = Record<string, { type: string; shape: Array<number | string> }>;
const signature = (metadata: readonly ort.InferenceSession.ValueMetadata[]): Signature =>
  Object.fromEntries(metadata.map((value) => [value.name, value.isTensor ? { type: value.type, shape: [...value.shape] } : { type: 'not a tensor', shape: [] }]));
const open = (path: string) => ort.InferenceSession.create(path, { intraOpNumThreads: 1 });
const ids = (values: number[], type: 'int64' | 'int32' = 'int64') =>
  type === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]) : new ort.Tensor('int32', Int32Array.from(values), [1, values.length]);
const float = (values: number[] | Float32Array, dims: number[]) => new ort.Tensor('float32', Float32Array.from(values), dims);
const filled = (value: number, dims: number[]) => float(new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value), dims);
const data = (tensor: ort.Tensor | undefined) => Array.from(tensor!.data as Float32Array);

describe('writeTinyDiffusionModel', () => {
  it('writes every file of an Optimum SD export', () => {
    const model = writeTinyDiffusionModel(join(directory, 'sd'), { family: 'sd' });
    for (const file of ['model_index.json', 'scheduler/scheduler_config.json', 'tokenizer/vocab.json', 'tokenizer/merges.txt', 'tokenizer/tokenizer_config.json', 'tokenizer/special_tokens_map.json']) {
      expect(existsSync(join(model.path, file)), file).toBe(true);
    }
    for (const component of ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder']) {
      expect(existsSync(join(model.path, component, 'model.onnx')), component).toBe(true);
      expect(existsSync(join(model.path, component, 'config.json')), component).toBe(true);
    }
    expect(existsSync(join(model.path, 'text_encoder_2'))).toBe(false);
  });

  it('SD: a text encoder with Optimum names whose hidden states depend on the ids', async () => {
    const model = writeTinyDiffusionModel(join(directory, 'sd-text'), { family: 'sd' });
    const session = await open(join(model.path, 'text_encoder/model.onnx'));
    expect(signature(session.inputMetadata)).toEqual({ input_ids: { type: 'int64', shape: ['batch_size', 'sequence_length'] } });
    expect(signature(session.outputMetadata)).toEqual({
      last_hidden_state: { type: 'float32', shape: ['batch_size', 'sequence_length', 32] },
      pooler_output: { type: 'float32', shape: ['batch_size', 32] },
    });
    const first = await session.run({ input_ids: ids([521, 300, 522, 522]) });
    const second = await session.run({ input_ids: ids([521, 301, 522, 522]) });
    expect(first.last_hidden_state!.dims).toEqual([1, 4, 32]);
    expect(first.pooler_output!.dims).toEqual([1, 32]);
    expect(data(first.last_hidden_state).slice(32, 64)).not.toEqual(data(second.last_hidden_state).slice(32, 64));
    expect(data(first.last_hidden_state).slice(0, 32)).toEqual(data(second.last_hidden_state).slice(0, 32));
    await session.release();
  });

  it('SD: a UNet whose out_sample depends on the sample, the scalar float timestep and the text', async () => {
    const model = writeTinyDiffusionModel(join(directory, 'sd-unet'), { family: 'sd' });
    const session = await open(join(model.path, 'unet/model.onnx'));
    expect(signature(session.inputMetadata)).toEqual({
      sample: { type: 'float32', shape: ['batch_size', 4, 'height', 'width'] },
      timestep: { type: 'float32', shape: [] },
      encoder_hidden_states: { type: 'float32', shape: ['batch_size', 'sequence_length', 32] },
    });
    expect(signature(session.outputMetadata)).toEqual({ out_sample: { type: 'float32', shape: ['batch_size', 4, 'height', 'width'] } });
    // Classifier-free guidance: a batch of 2 (unconditional, conditional), one timestep.
    const out = await session.run({ sample: filled(2, [2, 4, 8, 8]), timestep: float([500], []), encoder_hidden_states: float([...new Array(77 * 32).fill(0), ...new Array(77 * 32).fill(1)], [2, 77, 32]) });
    const { a, b, c } = model.unet;
    expect(out.out_sample!.dims).toEqual([2, 4, 8, 8]);
    expect(data(out.out_sample)[0]).toBeCloseTo(2 * a + 0 * b + 500 * c, 5);
    expect(data(out.out_sample)[256]).toBeCloseTo(2 * a + 1 * b + 500 * c, 5);
    await session.release();
  });

  it('SD inpainting: a 9-channel UNet whose output uses the mask and the masked latents', async () => {
    const model = writeTinyDiffusionModel(join(directory, 'sd-inpaint'), { family: 'sd', inpainting: true });
    const session = await open(join(model.path, 'unet/model.onnx'));
    expect(signature(session.inputMetadata).sample).toEqual({ type: 'float32', shape: ['batch_size', 9, 'height', 'width'] });
    const sample = new Float32Array(9 * 16);
    sample.fill(1, 0, 4 * 16); // latents
    sample.fill(1, 4 * 16, 5 * 16); // mask
    sample.fill(2, 5 * 16, 9 * 16); // masked-image latents
    const out = await session.run({ sample: float(sample, [1, 9, 4, 4]), timestep: float([10], []), encoder_hidden_states: filled(0, [1, 77, 32]) });
    const { a, c, d, e } = model.unet;
    expect(out.out_sample!.dims).toEqual([1, 4, 4, 4]);
    expect(data(out.out_sample)[0]).toBeCloseTo(a + 10 * c + d + 2 * e, 5);
    await session.release();
  });

  it('SDXL: two text encoders (hidden states, pooled text_embeds) and a UNet with text_embeds and time_ids', async () => {
    const model = writeTinyDiffusionModel(join(directory, 'sdxl'), { family: 'sdxl' });
    for (const file of ['text_encoder_2/model.onnx', 'text_encoder_2/config.json', 'tokenizer_2/tokenizer.json', 'tokenizer_2/tokenizer_config.json']) expect(existsSync(join(model.path, file)), file).toBe(true);
    const first = await open(join(model.path, 'text_encoder/model.onnx'));
    expect(first.outputNames).toEqual(['last_hidden_state', 'pooler_output', 'hidden_states.0', 'hidden_states.1', 'hidden_states.2']);
    const second = await open(join(model.path, 'text_encoder_2/model.onnx'));
    expect(signature(second.outputMetadata)).toMatchObject({
      text_embeds: { type: 'float32', shape: ['batch_size', 16] },
      last_hidden_state: { type: 'float32', shape: ['batch_size', 'sequence_length', 48] },
      'hidden_states.1': { type: 'float32', shape: ['batch_size', 'sequence_length', 48] },
    });
    const encoded = await second.run({ input_ids: ids([521, 300, 522]) });
    expect(encoded.text_embeds!.dims).toEqual([1, 16]);
    const unet = await open(join(model.path, 'unet/model.onnx'));
    expect(signature(unet.inputMetadata)).toEqual({
      sample: { type: 'float32', shape: ['batch_size', 4, 'height', 'width'] },
      timestep: { type: 'float32', shape: [] },
      encoder_hidden_states: { type: 'float32', shape: ['batch_size', 'sequence_length', 80] },
      text_embeds: { type: 'float32', shape: ['batch_size', 16] },
      time_ids: { type: 'float32', shape: ['batch_size', 6] },
    });
    const out = await unet.run({ sample: filled(0, [1, 4, 8, 8]), timestep: float([0], []), encoder_hidden_states: filled(0, [1, 77, 80]), text_embeds: filled(1, [1, 16]), time_ids: float([64, 64, 0, 0, 64, 64], [1, 6]) });
    const { f, g } = model.unet;
    expect(data(out.out_sample)[0]).toBeCloseTo(f + ((64 * 4) / 6) * g, 5);
    await Promise.all([first.release(), second.release(), unet.release()]);
  });

  it('VAE: the decoder upsamples latents ×8 to 3 channels in [−1, 1]; the encoder answers mean and log-variance at ÷8', async () => {
    const model = writeTinyDiffusionModel(join(directory, 'vae'), { family: 'sd' });
    const decoder = await open(join(model.path, 'vae_decoder/model.onnx'));
    expect(signature(decoder.inputMetadata)).toEqual({ latent_sample: { type: 'float32', shape: ['batch_size', 4, 'latent_height', 'latent_width'] } });
    expect(decoder.outputNames).toEqual(['sample']);
    const latents = new Float32Array(4 * 2 * 3).map((_, index) => (index % 7) - 3);
    const decoded = await decoder.run({ latent_sample: float(latents, [1, 4, 2, 3]) });
    expect(decoded.sample!.dims).toEqual([1, 3, 16, 24]);
    expect(Math.max(...data(decoded.sample).map(Math.abs))).toBeLessThanOrEqual(1);
    const encoder = await open(join(model.path, 'vae_encoder/model.onnx'));
    expect(signature(encoder.inputMetadata)).toEqual({ sample: { type: 'float32', shape: ['batch_size', 3, 'sample_height', 'sample_width'] } });
    expect(encoder.outputNames).toEqual(['latent_parameters']);
    const image = new Float32Array(3 * 16 * 24).map((_, index) => (index < 16 * 24 ? 0.5 : -0.25));
    const encoded = await encoder.run({ sample: float(image, [1, 3, 16, 24]) });
    expect(encoded.latent_parameters!.dims).toEqual([1, 8, 2, 3]);
    const parameters = data(encoded.latent_parameters);
    expect(parameters[0]).toBeCloseTo(0.5, 5); // mean, channel R
    expect(parameters[6]).toBeCloseTo(-0.25, 5); // mean, channel G
    expect(parameters[4 * 6]).toBeCloseTo(-20, 5); // log-variance
    const round = await decoder.run({ latent_sample: float(parameters.slice(0, 4 * 6), [1, 4, 2, 3]) });
    expect(data(round.sample).slice(0, 5)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    await Promise.all([decoder.release(), encoder.release()]);
  });

  it('older exports: int32 input_ids, an int64 [steps] timestep, a latent_sample encoder, no configs, UNet weights in external data', async () => {
    const model = writeTinyDiffusionModel(join(directory, 'legacy'), { family: 'sd', inputIds: 'int32', timestep: 'int64-vector', vaeEncoderOutput: 'latent_sample', withoutComponentConfigs: true, unetExternalData: true });
    expect(existsSync(join(model.path, 'unet/config.json'))).toBe(false);
    expect(existsSync(join(model.path, 'unet/model.onnx_data'))).toBe(true);
    const text = await open(join(model.path, 'text_encoder/model.onnx'));
    expect(signature(text.inputMetadata).input_ids!.type).toBe('int32');
    await text.run({ input_ids: ids([521, 522], 'int32') });
    const unet = await open(join(model.path, 'unet/model.onnx'));
    expect(signature(unet.inputMetadata).timestep).toEqual({ type: 'int64', shape: ['steps'] });
    const out = await unet.run({ sample: filled(1, [1, 4, 8, 8]), timestep: new ort.Tensor('int64', BigInt64Array.from([100n]), [1]), encoder_hidden_states: filled(0, [1, 77, 32]) });
    expect(data(out.out_sample)[0]).toBeCloseTo(model.unet.a + 100 * model.unet.c, 5);
    const encoder = await open(join(model.path, 'vae_encoder/model.onnx'));
    expect(encoder.outputNames).toEqual(['latent_sample']);
    await Promise.all([text.release(), unet.release(), encoder.release()]);
  });
});

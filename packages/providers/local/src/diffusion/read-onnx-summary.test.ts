import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { findBundledIsNet, loadModelBytes } from '../load-model-bytes.js';
import { readOnnxSummary } from './read-onnx-summary.js';
import { writeTinyDiffusionModel } from './testing-diffusion-models.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-onnx-summary-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('readOnnxSummary', () => {
  it("reads the inputs, outputs, weights' dims and external data files of a model without loading it", async () => {
    const model = writeTinyDiffusionModel(join(directory, 'external'), { family: 'sdxl', inpainting: true, unetExternalData: true, timestep: 'int64-vector' });
    const summary = await readOnnxSummary(join(model.path, 'unet/model.onnx'));
    expect(summary.inputs).toEqual([
      { name: 'sample', type: 'float32', shape: ['batch_size', 9, 'height', 'width'] },
      { name: 'timestep', type: 'int64', shape: ['steps'] },
      { name: 'encoder_hidden_states', type: 'float32', shape: ['batch_size', 'sequence_length', 80] },
      { name: 'text_embeds', type: 'float32', shape: ['batch_size', 16] },
      { name: 'time_ids', type: 'float32', shape: ['batch_size', 6] },
    ]);
    expect(summary.outputs).toEqual([{ name: 'out_sample', type: 'float32', shape: ['batch_size', 4, 'height', 'width'] }]);
    expect(summary.initializers.get('conv_in.weight')).toEqual([9, 9, 1, 1]);
    expect(summary.initializers.get('a')).toEqual([]);
    expect(summary.nodes[0]).toEqual({ op: 'Conv', inputs: ['sample', 'conv_in.weight'], outputs: ['sample_in'] });
    expect(summary.externalData).toEqual(['model.onnx_data']);
  });

  it("agrees with onnxruntime's own metadata on every tiny component (a scalar is shape [])", async () => {
    const model = writeTinyDiffusionModel(join(directory, 'all'), { family: 'sdxl' });
    for (const component of ['text_encoder', 'text_encoder_2', 'unet', 'vae_decoder', 'vae_encoder']) {
      const path = join(model.path, component, 'model.onnx');
      const [summary, session] = await Promise.all([readOnnxSummary(path), ort.InferenceSession.create(path)]);
      const metadata = (values: readonly ort.InferenceSession.ValueMetadata[]) => values.map((value) => ({ name: value.name, type: value.isTensor ? value.type : undefined, shape: value.isTensor ? [...value.shape] : [] }));
      expect(summary.inputs, component).toEqual(metadata(session.inputMetadata));
      expect(summary.outputs, component).toEqual(metadata(session.outputMetadata));
      await session.release();
    }
  });

  it.skipIf(findBundledIsNet() === undefined)("agrees with onnxruntime on a real exporter's model (IS-Net, 88 MB, weights inline)", async () => {
    const path = join(directory, 'isnet.onnx');
    writeFileSync(path, await loadModelBytes(findBundledIsNet()!));
    const [summary, session] = await Promise.all([readOnnxSummary(path), ort.InferenceSession.create(path)]);
    expect(summary.inputs).toEqual(session.inputMetadata.map((value) => ({ name: value.name, type: value.isTensor ? value.type : undefined, shape: value.isTensor ? [...value.shape] : [] })));
    expect(summary.outputs.map((output) => output.name)).toEqual(session.outputNames);
    expect(summary.nodes.length).toBeGreaterThan(500);
    expect(summary.externalData).toEqual([]);
    await session.release();
  });

  it('refuses a file that is not an ONNX protobuf', async () => {
    const path = join(directory, 'not-a-model.onnx');
    writeFileSync(path, '{"this": "is JSON"}');
    await expect(readOnnxSummary(path)).rejects.toThrow(/not an ONNX protobuf|no ONNX graph/);
    await expect(readOnnxSummary(join(directory, 'missing.onnx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

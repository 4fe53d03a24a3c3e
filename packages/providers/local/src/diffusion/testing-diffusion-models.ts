// Tiny diffusion model folders in Hugging Face Optimum's ONNX layout, for tests: every file a real
// export holds, with ONNX models of the real input/output names, element types and dynamic axes whose
// outputs depend on their inputs, small enough to run in milliseconds. Test-only (excluded from the build).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attribute, externalFloatTensor, floatTensor, int64Tensor, node, onnxModel, type ValueSpec } from '../testing-onnx-protobuf.js';
import { clipTokenizerJson } from './clip-tokenizer-json.js';

export interface TinyDiffusionModelOptions {
  /** `sdxl` adds text_encoder_2/tokenizer_2 and the UNet's `text_embeds`/`time_ids` inputs. */
  family: 'sd' | 'sdxl';
  /** A 9-channel UNet (latents, mask, masked-image latents), as inpainting checkpoints have. */
  inpainting?: boolean;
  /** Merged over the default scheduler_config.json (SD: PNDMScheduler of SD 1.5; SDXL: EulerDiscreteScheduler of SDXL 1.0). */
  schedulerConfig?: Record<string, unknown>;
  /** No vae_encoder/ folder (some exports leave it out). */
  withoutVaeEncoder?: boolean;
  /**
   * The UNet's `timestep` input: `float-scalar` (float32, no dimension: Optimum since its SD3/Flux
   * change, huggingface/optimum a7a807c9, Nov 2024), `int64-vector` (int64 [steps]: Optimum before
   * it), `float-vector` (float32 [batch]: diffusers' scripts/convert_stable_diffusion_checkpoint_to_onnx.py).
   */
  timestep?: 'float-scalar' | 'int64-vector' | 'float-vector';
  /** The text encoders' `input_ids` type: int64 (Optimum) or int32 (diffusers' conversion script). */
  inputIds?: 'int64' | 'int32';
  /** The VAE encoder's output: `latent_parameters` (mean and log-variance, Optimum) or `latent_sample` (a sample, diffusers' script). */
  vaeEncoderOutput?: 'latent_parameters' | 'latent_sample';
  /** No config.json in the model folders (diffusers' conversion script writes none). */
  withoutComponentConfigs?: boolean;
  /** The UNet keeps its weights in `unet/model.onnx_data` (external data, as exports over 2 GB do). */
  unetExternalData?: boolean;
  /** The UNet's `sample` channel axis is symbolic (`channels`), as diffusers' conversion script declares it. */
  symbolicChannels?: boolean;
}

/** What the tiny model computes, for tests that check a pipeline's numbers. */
export interface TinyDiffusionModel {
  path: string;
  family: 'sd' | 'sdxl';
  inpainting: boolean;
  /** The tokenizers' sequence length (77, as CLIP's). */
  maxTokens: number;
  /** The UNet's `encoder_hidden_states` width: the text encoder's hidden size (SD), both encoders' penultimate hidden states side by side (SDXL). */
  crossAttentionDim: number;
  /** Hidden sizes of text_encoder and (SDXL) text_encoder_2. */
  hiddenSizes: number[];
  /** SDXL's text_encoder_2 `projection_dim` (the UNet's `text_embeds` width). */
  projectionDim: number;
  /** `num_hidden_layers` of each text encoder: `hidden_states.0` … `hidden_states.<layers>` are outputs (SDXL). */
  layers: number;
  latentChannels: 4;
  vaeScaleFactor: 8;
  /** unet sample_size (8) × 8. */
  defaultSize: number;
  scalingFactor: number;
  /**
   * The UNet: out_sample = sample·a + mean(encoder_hidden_states)·b + timestep·c
   * (+ mask·d + masked_latents·e when inpainting; + mean(text_embeds)·f + mean(time_ids)·g for SDXL),
   * the means over all but the batch axis, broadcast over channels and pixels; `sample` means the
   * first 4 channels of an inpainting UNet's 9.
   */
  unet: { a: number; b: number; c: number; d: number; e: number; f: number; g: number };
}

const unetCoefficients = { a: 0.5, b: 0.25, c: 0.001, d: 0.125, e: 0.0625, f: 0.25, g: 0.0001 };

/**
 * Writes a tiny model folder in the layout Optimum's ONNX export writes (optimum-onnx
 * `optimum/exporters/onnx/convert.py`: `<component>/model.onnx` and `<component>/config.json` per
 * model, `scheduler/`, `tokenizer/`, `tokenizer_2/`, `model_index.json`), with the I/O of
 * optimum-onnx `optimum/exporters/onnx/model_configs.py`:
 * - text_encoder (CLIPTextModel): `input_ids` [batch_size, sequence_length] int64 →
 *   `last_hidden_state` [batch_size, sequence_length, hidden], `pooler_output` [batch_size, hidden]
 *   (+ `hidden_states.0` … `hidden_states.<layers>` for SDXL, which exports output_hidden_states);
 *   hidden states are a Gather from an embedding table, so they depend on the ids;
 * - text_encoder_2 (SDXL, CLIPTextModelWithProjection): `input_ids` → `text_embeds` [batch_size,
 *   projection_dim], `last_hidden_state`, `hidden_states.*`;
 * - unet: `sample` [batch_size, 4|9, height, width] (read first by a `conv_in` Conv, an identity 1×1 here),
 *   `timestep` (float32 scalar), `encoder_hidden_states`
 *   [batch_size, sequence_length, cross_attention_dim] (+ SDXL `text_embeds` [batch_size, projection_dim],
 *   `time_ids` [batch_size, 6]) → `out_sample` [batch_size, 4, height, width] (formula in {@link TinyDiffusionModel.unet});
 * - vae_decoder: `latent_sample` [batch_size, 4, latent_height, latent_width] → `sample` [batch_size, 3,
 *   ×8, ×8]: channels 0–2 of the latents, clipped to [−1, 1], upsampled ×8 (nearest);
 * - vae_encoder: `sample` [batch_size, 3, sample_height, sample_width] → `latent_parameters`
 *   [batch_size, 8, ÷8, ÷8]: 8×8 average pool; mean channels (R, G, B, (R+G+B)/3); log-variance −20
 *   (so decode(mean) ≈ the image pooled by 8 and upsampled again).
 * The tokenizer is a CLIP tokenizer with the 512 byte-level symbols, a few merges and
 * `<|startoftext|>`/`<|endoftext|>` as its last ids, written as vocab.json + merges.txt (tokenizer/) and,
 * for SDXL, as tokenizer.json with pad token `!` (tokenizer_2/, as SDXL's).
 */
export function writeTinyDiffusionModel(directory: string, options: TinyDiffusionModelOptions): TinyDiffusionModel {
  const { family, inpainting = false, withoutVaeEncoder = false, withoutComponentConfigs = false } = options;
  const sdxl = family === 'sdxl';
  const maxTokens = 77;
  const layers = 2;
  const hiddenSizes = sdxl ? [32, 48] : [32];
  const projectionDim = 16;
  const crossAttentionDim = hiddenSizes.reduce((sum, size) => sum + size, 0);
  const scalingFactor = sdxl ? 0.13025 : 0.18215;
  const vocabulary = tinyClipVocabulary();
  const vocabularySize = Object.keys(vocabulary.vocab).length;
  const inputIds = options.inputIds ?? 'int64';
  const write = (path: string, content: string | Uint8Array) => {
    mkdirSync(join(directory, path, '..'), { recursive: true });
    writeFileSync(join(directory, path), content);
  };
  const json = (path: string, value: unknown) => write(path, `${JSON.stringify(value, null, 2)}\n`);
  const config = (path: string, value: unknown) => {
    if (!withoutComponentConfigs) json(path, value);
  };

  const pipelineClass = `StableDiffusion${sdxl ? 'XL' : ''}${inpainting ? 'Inpaint' : ''}Pipeline`;
  json('model_index.json', {
    _class_name: pipelineClass,
    _diffusers_version: '0.32.2',
    ...(sdxl ? { force_zeros_for_empty_prompt: true } : { feature_extractor: [null, null], requires_safety_checker: false, safety_checker: [null, null] }),
    scheduler: ['diffusers', sdxl ? 'EulerDiscreteScheduler' : 'PNDMScheduler'],
    text_encoder: ['transformers', 'CLIPTextModel'],
    ...(sdxl ? { text_encoder_2: ['transformers', 'CLIPTextModelWithProjection'], tokenizer_2: ['transformers', 'CLIPTokenizer'] } : {}),
    tokenizer: ['transformers', 'CLIPTokenizer'],
    unet: ['diffusers', 'UNet2DConditionModel'],
    vae: ['diffusers', 'AutoencoderKL'],
  });
  json('scheduler/scheduler_config.json', { ...(sdxl ? sdxlScheduler : sdScheduler), ...options.schedulerConfig });

  // Tokenizers.
  json('tokenizer/vocab.json', vocabulary.vocab);
  write('tokenizer/merges.txt', `#version: 0.2\n${vocabulary.merges.map((pair) => pair.join(' ')).join('\n')}\n`);
  json('tokenizer/special_tokens_map.json', specialTokensMap('<|endoftext|>'));
  json('tokenizer/tokenizer_config.json', tokenizerConfig('<|endoftext|>'));
  if (sdxl) {
    json('tokenizer_2/tokenizer.json', clipTokenizerJson({ ...vocabulary, bosToken: '<|startoftext|>', eosToken: '<|endoftext|>', unkToken: '<|endoftext|>' }));
    json('tokenizer_2/special_tokens_map.json', specialTokensMap('!'));
    json('tokenizer_2/tokenizer_config.json', tokenizerConfig('!'));
  }

  // Text encoders.
  const textConfig = (hidden: number, withProjection: boolean) => ({
    _name_or_path: 'darkroom/tiny-clip-text',
    architectures: [withProjection ? 'CLIPTextModelWithProjection' : 'CLIPTextModel'],
    model_type: 'clip_text_model',
    hidden_size: hidden,
    intermediate_size: hidden * 4,
    max_position_embeddings: maxTokens,
    num_attention_heads: 2,
    num_hidden_layers: layers,
    projection_dim: projectionDim,
    vocab_size: vocabularySize,
    bos_token_id: vocabulary.vocab['<|startoftext|>'],
    eos_token_id: vocabulary.vocab['<|endoftext|>'],
    pad_token_id: 1,
    ...(sdxl ? { output_hidden_states: true } : {}),
  });
  write('text_encoder/model.onnx', textEncoder({ vocabularySize, hidden: hiddenSizes[0]!, layers, inputIds, hiddenStates: sdxl, projectionDim: undefined, seed: 1 }));
  config('text_encoder/config.json', textConfig(hiddenSizes[0]!, false));
  if (sdxl) {
    write('text_encoder_2/model.onnx', textEncoder({ vocabularySize, hidden: hiddenSizes[1]!, layers, inputIds, hiddenStates: true, projectionDim, seed: 2 }));
    config('text_encoder_2/config.json', textConfig(hiddenSizes[1]!, true));
  }

  // UNet.
  const external = options.unetExternalData ?? false;
  write('unet/model.onnx', unet({ inpainting, sdxl, crossAttentionDim, projectionDim, timestep: options.timestep ?? 'float-scalar', external, symbolicChannels: options.symbolicChannels ?? false }));
  if (external) write('unet/model.onnx_data', new Uint8Array(new Float32Array([unetCoefficients.a]).buffer));
  config('unet/config.json', {
    _class_name: 'UNet2DConditionModel',
    _diffusers_version: '0.32.2',
    act_fn: 'silu',
    attention_head_dim: sdxl ? [1, 2] : 1,
    block_out_channels: [8, 16],
    cross_attention_dim: crossAttentionDim,
    down_block_types: ['DownBlock2D', 'CrossAttnDownBlock2D'],
    up_block_types: ['CrossAttnUpBlock2D', 'UpBlock2D'],
    in_channels: inpainting ? 9 : 4,
    out_channels: 4,
    sample_size: 8,
    time_cond_proj_dim: null,
    ...(sdxl ? { addition_embed_type: 'text_time', addition_time_embed_dim: 8, projection_class_embeddings_input_dim: 6 * 8 + projectionDim } : {}),
  });

  // VAE.
  const vaeConfig = {
    _class_name: 'AutoencoderKL',
    _diffusers_version: '0.32.2',
    act_fn: 'silu',
    block_out_channels: [8, 8, 8, 8],
    down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'],
    up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
    in_channels: 3,
    out_channels: 3,
    latent_channels: 4,
    layers_per_block: 1,
    norm_num_groups: 8,
    sample_size: 64,
    scaling_factor: scalingFactor,
    force_upcast: true,
  };
  write('vae_decoder/model.onnx', vaeDecoder());
  config('vae_decoder/config.json', vaeConfig);
  if (!withoutVaeEncoder) {
    write('vae_encoder/model.onnx', vaeEncoder(options.vaeEncoderOutput ?? 'latent_parameters'));
    config('vae_encoder/config.json', vaeConfig);
  }

  return { path: directory, family, inpainting, maxTokens, crossAttentionDim, hiddenSizes, projectionDim, layers, latentChannels: 4, vaeScaleFactor: 8, defaultSize: 64, scalingFactor, unet: unetCoefficients };
}

/**
 * A tiny CLIP vocabulary built the way openai/CLIP `clip/simple_tokenizer.py` builds the real one:
 * the 256 byte symbols of bytes_to_unicode, the same with `</w>`, one token per merge, then
 * `<|startoftext|>` and `<|endoftext|>`. Its merges spell a few prompt words (cat, dog, the, photo, of, a).
 */
export function tinyClipVocabulary(): { vocab: Record<string, number>; merges: Array<[string, string]> } {
  const printable = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  const symbols = new Map<number, string>(printable.map((byte) => [byte, String.fromCodePoint(byte)]));
  let next = 256;
  for (let byte = 0; byte < 256; byte += 1) if (!symbols.has(byte)) symbols.set(byte, String.fromCodePoint(next++));
  const base = [...printable, ...range(0, 255).filter((byte) => !printable.includes(byte))].map((byte) => symbols.get(byte)!);
  const merges: Array<[string, string]> = [
    ['c', 'a'], ['ca', 't</w>'], ['d', 'o'], ['do', 'g</w>'], ['t', 'h'], ['th', 'e</w>'], ['p', 'h'], ['ph', 'o'], ['pho', 't'], ['phot', 'o</w>'], ['o', 'f</w>'],
  ];
  const tokens = [...base, ...base.map((symbol) => `${symbol}</w>`), ...merges.map(([left, right]) => left + right), '<|startoftext|>', '<|endoftext|>'];
  return { vocab: Object.fromEntries(tokens.map((token, id) => [token, id])), merges };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Deterministic values in [−1, 1]. */
const values = (count: number, seed: number) => Array.from({ length: count }, (_, index) => Math.sin((index + 1) * 12.9898 + seed * 78.233) * 0.9);

const sdScheduler = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: '0.6.0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
  clip_sample: false,
};
const sdxlScheduler = {
  _class_name: 'EulerDiscreteScheduler',
  _diffusers_version: '0.19.0.dev0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  interpolation_type: 'linear',
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  sample_max_value: 1.0,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  timestep_spacing: 'leading',
  trained_betas: null,
  use_karras_sigmas: false,
};

const addedToken = (content: string, normalized: boolean) => ({ content, lstrip: false, normalized, rstrip: false, single_word: false });
const specialTokensMap = (pad: string) => ({
  bos_token: addedToken('<|startoftext|>', true),
  eos_token: addedToken('<|endoftext|>', true),
  pad_token: pad === '!' ? addedToken('!', false) : pad,
  unk_token: addedToken('<|endoftext|>', true),
});
const tokenizerConfig = (pad: string) => ({
  add_prefix_space: false,
  bos_token: { __type: 'AddedToken', ...addedToken('<|startoftext|>', true) },
  clean_up_tokenization_spaces: true,
  do_lower_case: true,
  eos_token: { __type: 'AddedToken', ...addedToken('<|endoftext|>', true) },
  errors: 'replace',
  model_max_length: 77,
  pad_token: pad,
  tokenizer_class: 'CLIPTokenizer',
  unk_token: { __type: 'AddedToken', ...addedToken('<|endoftext|>', true) },
});

function textEncoder(spec: { vocabularySize: number; hidden: number; layers: number; inputIds: 'int64' | 'int32'; hiddenStates: boolean; projectionDim: number | undefined; seed: number }): Uint8Array {
  const { vocabularySize, hidden, layers, hiddenStates, projectionDim, seed } = spec;
  const nodes = [node('Gather', ['embeddings', 'input_ids'], ['hidden_states.0'], [attribute.int('axis', 0)])];
  const initializers = [floatTensor('embeddings', [vocabularySize, hidden], values(vocabularySize * hidden, seed))];
  for (let layer = 1; layer <= layers; layer += 1) {
    initializers.push(floatTensor(`layer_scale.${layer}`, [hidden], values(hidden, seed * 10 + layer).map((value) => 1 + value)));
    nodes.push(node('Mul', [`hidden_states.${layer - 1}`, `layer_scale.${layer}`], [`scaled.${layer}`]), node('Tanh', [`scaled.${layer}`], [`hidden_states.${layer}`]));
  }
  initializers.push(floatTensor('final_scale', [], [0.5]));
  nodes.push(node('Mul', [`hidden_states.${layers}`, 'final_scale'], ['last_hidden_state']), node('ReduceMean', ['last_hidden_state'], ['pooled'], [attribute.ints('axes', [1]), attribute.int('keepdims', 0)]));
  const sequence = (name: string): ValueSpec => ({ name, dims: ['batch_size', 'sequence_length', hidden] });
  const outputs: ValueSpec[] = [];
  if (projectionDim === undefined) {
    nodes.push(node('Identity', ['pooled'], ['pooler_output']));
    outputs.push(sequence('last_hidden_state'), { name: 'pooler_output', dims: ['batch_size', hidden] });
  } else {
    initializers.push(floatTensor('text_projection', [hidden, projectionDim], values(hidden * projectionDim, seed + 5)));
    nodes.push(node('MatMul', ['pooled', 'text_projection'], ['text_embeds']));
    outputs.push({ name: 'text_embeds', dims: ['batch_size', projectionDim] }, sequence('last_hidden_state'));
  }
  if (hiddenStates) for (let layer = 0; layer <= layers; layer += 1) outputs.push(sequence(`hidden_states.${layer}`));
  return onnxModel({ nodes, initializers, inputs: [{ name: 'input_ids', type: spec.inputIds, dims: ['batch_size', 'sequence_length'] }], outputs, opset: 17 });
}

function unet(spec: { inpainting: boolean; sdxl: boolean; crossAttentionDim: number; projectionDim: number; timestep: 'float-scalar' | 'int64-vector' | 'float-vector'; external: boolean; symbolicChannels: boolean }): Uint8Array {
  const { a, b, c, d, e, f, g } = unetCoefficients;
  const channels = spec.inpainting ? 9 : 4;
  const identity = Array.from({ length: channels * channels }, (_, index) => (index % (channels + 1) === 0 ? 1 : 0));
  const initializers = [
    floatTensor('conv_in.weight', [channels, channels, 1, 1], identity),
    spec.external ? externalFloatTensor('a', [], 'model.onnx_data', 0, 4) : floatTensor('a', [], [a]),
    floatTensor('b', [], [b]),
    floatTensor('c', [], [c]),
    int64Tensor('column', [4], [-1, 1, 1, 1]),
  ];
  // conv_in (an identity 1×1 here) reads `sample` first, as in UNet2DConditionModel.
  const nodes: number[][] = [node('Conv', ['sample', 'conv_in.weight'], ['sample_in'])];
  let latents = 'sample_in';
  if (spec.inpainting) {
    initializers.push(int64Tensor('split', [3], [4, 1, 4]), floatTensor('d', [], [d]), floatTensor('e', [], [e]));
    nodes.push(node('Split', ['sample_in', 'split'], ['latents', 'mask', 'masked_latents'], [attribute.int('axis', 1)]));
    latents = 'latents';
  }
  const terms = ['term_sample', 'term_text', 'term_time'];
  nodes.push(
    node('Mul', [latents, 'a'], ['term_sample']),
    node('ReduceMean', ['encoder_hidden_states'], ['text_mean'], [attribute.ints('axes', [1, 2]), attribute.int('keepdims', 0)]),
    node('Reshape', ['text_mean', 'column'], ['text_column']),
    node('Mul', ['text_column', 'b'], ['term_text']),
    node('Cast', ['timestep'], ['timestep_float'], [attribute.int('to', 1)]),
    node('Reshape', ['timestep_float', 'column'], ['timestep_column']),
    node('Mul', ['timestep_column', 'c'], ['term_time']),
  );
  if (spec.inpainting) {
    nodes.push(node('Mul', ['mask', 'd'], ['term_mask']), node('Mul', ['masked_latents', 'e'], ['term_masked']));
    terms.push('term_mask', 'term_masked');
  }
  if (spec.sdxl) {
    initializers.push(floatTensor('f', [], [f]), floatTensor('g', [], [g]));
    for (const [input, coefficient] of [['text_embeds', 'f'], ['time_ids', 'g']] as const) {
      nodes.push(
        node('ReduceMean', [input], [`${input}_mean`], [attribute.ints('axes', [1]), attribute.int('keepdims', 0)]),
        node('Reshape', [`${input}_mean`, 'column'], [`${input}_column`]),
        node('Mul', [`${input}_column`, coefficient], [`term_${input}`]),
      );
      terms.push(`term_${input}`);
    }
  }
  let sum = terms[0]!;
  terms.slice(1).forEach((term, index) => {
    const output = index === terms.length - 2 ? 'out_sample' : `sum.${index}`;
    nodes.push(node('Add', [sum, term], [output]));
    sum = output;
  });
  const timestep: ValueSpec =
    spec.timestep === 'float-scalar' ? { name: 'timestep', dims: [] } : spec.timestep === 'int64-vector' ? { name: 'timestep', type: 'int64', dims: ['steps'] } : { name: 'timestep', dims: ['batch'] };
  const inputs: ValueSpec[] = [
    { name: 'sample', dims: ['batch_size', spec.symbolicChannels ? 'channels' : channels, 'height', 'width'] },
    timestep,
    { name: 'encoder_hidden_states', dims: ['batch_size', 'sequence_length', spec.crossAttentionDim] },
    ...(spec.sdxl ? [{ name: 'text_embeds', dims: ['batch_size', spec.projectionDim] }, { name: 'time_ids', dims: ['batch_size', 6] }] : []),
  ];
  return onnxModel({ nodes, initializers, inputs, outputs: [{ name: 'out_sample', dims: ['batch_size', 4, 'height', 'width'] }], opset: 17 });
}

function vaeDecoder(): Uint8Array {
  const weights = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
  return onnxModel({
    nodes: [
      node('Conv', ['latent_sample', 'rgb_weight', 'rgb_bias'], ['rgb_small']),
      node('Clip', ['rgb_small', 'low', 'high'], ['rgb_clipped']),
      node('Resize', ['rgb_clipped', '', 'scales'], ['sample'], [attribute.string('mode', 'nearest'), attribute.string('coordinate_transformation_mode', 'asymmetric'), attribute.string('nearest_mode', 'floor')]),
    ],
    initializers: [floatTensor('rgb_weight', [3, 4, 1, 1], weights), floatTensor('rgb_bias', [3], [0, 0, 0]), floatTensor('low', [], [-1]), floatTensor('high', [], [1]), floatTensor('scales', [4], [1, 1, 8, 8])],
    inputs: [{ name: 'latent_sample', dims: ['batch_size', 4, 'latent_height', 'latent_width'] }],
    outputs: [{ name: 'sample', dims: ['batch_size', 3, 'latent_height * 8', 'latent_width * 8'] }],
    opset: 17,
  });
}

function vaeEncoder(output: 'latent_parameters' | 'latent_sample'): Uint8Array {
  const third = 1 / 3;
  const mean = [1, 0, 0, 0, 1, 0, 0, 0, 1, third, third, third];
  const channels = output === 'latent_parameters' ? 8 : 4;
  const weights = output === 'latent_parameters' ? [...mean, ...new Array<number>(12).fill(0)] : mean;
  const bias = output === 'latent_parameters' ? [0, 0, 0, 0, -20, -20, -20, -20] : [0, 0, 0, 0];
  return onnxModel({
    nodes: [
      node('AveragePool', ['sample'], ['pooled'], [attribute.ints('kernel_shape', [8, 8]), attribute.ints('strides', [8, 8])]),
      node('Conv', ['pooled', 'latent_weight', 'latent_bias'], [output]),
    ],
    initializers: [floatTensor('latent_weight', [channels, 3, 1, 1], weights), floatTensor('latent_bias', [channels], bias)],
    inputs: [{ name: 'sample', dims: ['batch_size', 3, 'sample_height', 'sample_width'] }],
    outputs: [{ name: output, dims: ['batch_size', channels, 'sample_height / 8', 'sample_width / 8'] }],
    opset: 17,
  });
}

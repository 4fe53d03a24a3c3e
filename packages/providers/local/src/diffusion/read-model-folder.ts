import { access, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DarkroomError } from '@darkroom/core';
import type { DiffusionFamily, DiffusionModelFolder } from './diffusion-model.js';
import { readOnnxSummary, type OnnxSummary } from './read-onnx-summary.js';

/**
 * What a complete folder holds: the layout of optimum-onnx's export (`optimum/exporters/onnx/convert.py`,
 * `<component>/model.onnx` + `config.json`, scheduler/, tokenizer/, tokenizer_2/, model_index.json).
 */
export const optimumLayout =
  'a complete Optimum ONNX export of a Stable Diffusion model (`optimum-cli export onnx --model <model> <folder>`) holds model_index.json, ' +
  'scheduler/scheduler_config.json, tokenizer/ (vocab.json + merges.txt, or tokenizer.json), text_encoder/model.onnx, unet/model.onnx, ' +
  'vae_decoder/model.onnx and vae_encoder/model.onnx (each with its config.json), and for SDXL text_encoder_2/model.onnx and tokenizer_2/';

/**
 * The input and output names each component must have: those of optimum-onnx
 * `optimum/exporters/onnx/model_configs.py` (CLIPTextOnnxConfig, CLIPTextWithProjectionOnnxConfig,
 * UNetOnnxConfig, VaeEncoderOnnxConfig, VaeDecoderOnnxConfig), which diffusers'
 * `scripts/convert_stable_diffusion_checkpoint_to_onnx.py` shares (its VAE encoder answers
 * `latent_sample`, a sample, where Optimum's answers `latent_parameters`, mean and log-variance).
 */
const signatures = {
  text_encoder: { inputs: ['input_ids'], outputs: [['last_hidden_state']] },
  text_encoder_2: { inputs: ['input_ids'], outputs: [['text_embeds']] },
  unet: { inputs: ['sample', 'timestep', 'encoder_hidden_states'], outputs: [['out_sample']] },
  unetXl: { inputs: ['sample', 'timestep', 'encoder_hidden_states', 'text_embeds', 'time_ids'], outputs: [['out_sample']] },
  vae_decoder: { inputs: ['latent_sample'], outputs: [['sample']] },
  vae_encoder: { inputs: ['sample'], outputs: [['latent_parameters', 'latent_sample']] },
} as const;

/**
 * Reads and checks a diffusion model folder in Hugging Face Optimum's ONNX layout ({@link optimumLayout}),
 * answering what the pipeline needs ({@link DiffusionModelFolder}). Reads JSON files and the ONNX graphs'
 * signatures only (no weights, no onnxruntime).
 *
 * - SDXL when `text_encoder_2/model.onnx` exists (then `tokenizer_2/` and the UNet's `text_embeds` and
 *   `time_ids` inputs are required, and each text encoder must answer `hidden_states.*`, the
 *   penultimate of which SDXL conditions on).
 * - Inpainting when the UNet takes 9 channels: `in_channels` of unet/config.json, else the fixed
 *   channel dimension of the ONNX `sample` input, else the input channels of the Conv weight that
 *   reads `sample` (diffusers' conversion script writes no config.json and a symbolic channel axis).
 * - `vaeScaleFactor` 2^(len(block_out_channels) − 1) of the VAE's config.json (diffusers' pipelines'
 *   `vae_scale_factor`), else 8; `latentChannels` its `latent_channels`, else the UNet output's
 *   channels, else 4; `scalingFactor` its `scaling_factor`, else 0.18215 (SD) or 0.13025 (SDXL);
 *   `defaultSize` unet `sample_size` × vaeScaleFactor, else the ONNX sample height × vaeScaleFactor,
 *   else 512 (SD) or 1024 (SDXL); `maxTokens` tokenizer_config.json `model_max_length`, else
 *   text_encoder/config.json `max_position_embeddings`, else the ONNX `input_ids` length, else 77.
 *
 * @param path The folder (relative paths resolve against the working directory).
 * @param id The model id it is configured under (named in every error).
 * @throws DarkroomError `configuration` naming the missing, unreadable or wrong file and saying what a
 * complete export holds; details `{ model, file }`.
 *
 * @example
 * const model = await readModelFolder('/models/stable-diffusion-v1-5-onnx', 'sd15');
 * model.family; // 'sd'
 * model.files.unet; // '/models/stable-diffusion-v1-5-onnx/unet/model.onnx'
 */
export async function readModelFolder(path: string, id: string): Promise<DiffusionModelFolder> {
  const folder = resolve(path);
  const fail = (file: string, problem: string, cause?: unknown): never => {
    throw new DarkroomError({
      code: 'configuration',
      message: `Diffusion model "${id}": ${file} ${problem}; ${optimumLayout}. Fix the model's path, or export the model again.`,
      details: { model: id, file },
      ...(cause === undefined ? {} : { cause }),
    });
  };
  const info = await stat(folder).catch((error: unknown) => fail(folder, 'does not exist', error));
  if (!info.isDirectory()) fail(folder, 'is not a folder');

  const file = (relative: string) => join(folder, relative);
  const exists = (relative: string) => access(file(relative)).then(() => true, () => false);
  const readJson = async (relative: string, optional = false): Promise<Record<string, unknown> | undefined> => {
    let text: string;
    try {
      text = await readFile(file(relative), 'utf8');
    } catch (error) {
      if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return fail(file(relative), (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(error as Error).message})`, error);
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch (error) {
      return fail(file(relative), `is not valid JSON (${(error as Error).message})`, error);
    }
    return fail(file(relative), 'is not a JSON object');
  };
  const requireFile = async (relative: string, what: string) => {
    if (!(await exists(relative))) fail(file(relative), `is missing (${what})`);
    return file(relative);
  };

  const modelIndex = (await readJson('model_index.json'))!;
  if ('transformer' in modelIndex && !('unet' in modelIndex)) {
    fail(file('model_index.json'), `describes ${String(modelIndex._class_name ?? 'a transformer model')}, a diffusion transformer (SD3, Flux): only UNet models (SD 1.x, 2.x, SDXL) run here`);
  }
  const sdxl = await exists('text_encoder_2/model.onnx');
  const family: DiffusionFamily = sdxl ? 'sdxl' : 'sd';
  if (!(await exists('text_encoder/model.onnx')) && sdxl) {
    fail(file('text_encoder/model.onnx'), 'is missing: a model with only text_encoder_2 (like the SDXL refiner) cannot generate from text here');
  }
  const textEncoder = await requireFile('text_encoder/model.onnx', 'the CLIP text encoder');
  const textEncoder2 = sdxl ? file('text_encoder_2/model.onnx') : undefined;
  const unet = await requireFile('unet/model.onnx', 'the denoising UNet');
  const vaeDecoder = await requireFile('vae_decoder/model.onnx', 'the VAE decoder, latents to pixels');
  const vaeEncoder = (await exists('vae_encoder/model.onnx')) ? file('vae_encoder/model.onnx') : undefined;
  const tokenizer = await requireTokenizer('tokenizer');
  const tokenizer2 = sdxl ? await requireTokenizer('tokenizer_2') : undefined;
  const schedulerConfig = (await readJson('scheduler/scheduler_config.json'))!;

  async function requireTokenizer(relative: string): Promise<string> {
    if (!(await exists(`${relative}/tokenizer.json`))) {
      for (const name of ['vocab.json', 'merges.txt']) await requireFile(`${relative}/${name}`, `the CLIP tokenizer's ${name === 'vocab.json' ? 'vocabulary' : 'merges'}; or a tokenizer.json`);
    }
    return file(relative);
  }

  const unetConfig = await readJson('unet/config.json', true);
  const vaeConfig = (await readJson('vae_decoder/config.json', true)) ?? (vaeEncoder ? await readJson('vae_encoder/config.json', true) : undefined);
  const textConfig = await readJson('text_encoder/config.json', true);
  const tokenizerConfig = await readJson('tokenizer/tokenizer_config.json', true);

  const summarize = async (path: string, component: keyof typeof signatures): Promise<OnnxSummary> => {
    const summary = await readOnnxSummary(path).catch((error: unknown) => fail(path, `cannot be read as an ONNX model (${(error as Error).message})`, error));
    const { inputs, outputs } = signatures[component];
    const inputNames = summary.inputs.map((input) => input.name);
    const outputNames = summary.outputs.map((output) => output.name);
    const lacking = inputs.filter((name) => !inputNames.includes(name));
    if (lacking.length > 0) fail(path, `has no input ${lacking.join(', ')} (its inputs: ${inputNames.join(', ')}): not the ${component.replace('Xl', '')} of a Stable Diffusion export`);
    for (const choices of outputs) {
      if (!choices.some((name) => outputNames.includes(name))) fail(path, `has no output ${choices.join(' or ')} (its outputs: ${outputNames.join(', ')}): not the ${component} of a Stable Diffusion export`);
    }
    if (sdxl && component.startsWith('text_encoder') && outputNames.filter((name) => name.startsWith('hidden_states.')).length < 2) {
      fail(path, 'answers no hidden_states.* outputs, and SDXL conditions on the penultimate hidden state: export it with Optimum, which adds them for SDXL');
    }
    for (const location of summary.externalData) {
      const external = join(path, '..', location);
      if (!(await access(external).then(() => true, () => false))) fail(external, `is missing (the external weights ${path} names)`);
    }
    return summary;
  };
  const [textSummary, , unetSummary] = await Promise.all([
    summarize(textEncoder, 'text_encoder'),
    textEncoder2 ? summarize(textEncoder2, 'text_encoder_2') : undefined,
    summarize(unet, sdxl ? 'unetXl' : 'unet'),
    summarize(vaeDecoder, 'vae_decoder'),
    vaeEncoder ? summarize(vaeEncoder, 'vae_encoder') : undefined,
  ]);

  const sampleInput = unetSummary.inputs.find((input) => input.name === 'sample')!;
  const inChannels = positiveInteger(unetConfig?.in_channels) ?? fixed(sampleInput.shape[1]) ?? convInputChannels(unetSummary, 'sample');
  if (inChannels === undefined) {
    fail(unet, 'does not say how many channels its sample input takes (4, or 9 for inpainting), and unet/config.json is missing: add the config.json the model was exported with');
  }
  if (inChannels !== 4 && inChannels !== 9) fail(unetConfig ? file('unet/config.json') : unet, `gives the UNet ${inChannels} input channels: only 4 (text-to-image) and 9 (inpainting) are known`);

  const blocks = Array.isArray(vaeConfig?.block_out_channels) ? vaeConfig.block_out_channels.length : undefined;
  const vaeScaleFactor = blocks ? 2 ** (blocks - 1) : 8;
  const outSample = unetSummary.outputs.find((output) => output.name === 'out_sample')!;
  const latentChannels = positiveInteger(vaeConfig?.latent_channels) ?? fixed(outSample.shape[1]) ?? 4;
  const scalingFactor = typeof vaeConfig?.scaling_factor === 'number' ? vaeConfig.scaling_factor : sdxl ? 0.13025 : 0.18215;
  const sampleSize = positiveInteger(unetConfig?.sample_size) ?? (Array.isArray(unetConfig?.sample_size) ? positiveInteger(unetConfig.sample_size[0]) : undefined) ?? fixed(sampleInput.shape[2]);
  const defaultSize = sampleSize ? sampleSize * vaeScaleFactor : sdxl ? 1024 : 512;
  const modelMaxLength = positiveInteger(tokenizerConfig?.model_max_length);
  const idsInput = textSummary.inputs.find((input) => input.name === 'input_ids')!;
  const maxTokens = (modelMaxLength && modelMaxLength <= 100_000 ? modelMaxLength : undefined) ?? positiveInteger(textConfig?.max_position_embeddings) ?? fixed(idsInput.shape[1]) ?? 77;

  return {
    id,
    path: folder,
    family,
    inpainting: inChannels === 9,
    files: { textEncoder, ...(textEncoder2 ? { textEncoder2 } : {}), unet, vaeDecoder, ...(vaeEncoder ? { vaeEncoder } : {}), tokenizer, ...(tokenizer2 ? { tokenizer2 } : {}) },
    schedulerConfig,
    vaeScaleFactor,
    latentChannels,
    scalingFactor,
    defaultSize,
    maxTokens,
  };
}

const positiveInteger = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined);
const fixed = (dimension: number | string | undefined): number | undefined => (typeof dimension === 'number' && dimension > 0 ? dimension : undefined);

/** The input channels of the Conv weight ([out, in, kh, kw]) of the first Conv that reads `input`. */
function convInputChannels(summary: OnnxSummary, input: string): number | undefined {
  const conv = summary.nodes.find((node) => node.op === 'Conv' && node.inputs[0] === input);
  const weight = conv?.inputs[1] === undefined ? undefined : summary.initializers.get(conv.inputs[1]);
  return weight?.length === 4 ? fixed(weight[1]) : undefined;
}

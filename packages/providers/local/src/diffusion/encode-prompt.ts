import { DarkroomError } from '@darkroom/core';
import type { OnnxModel } from '../create-onnx-sessions.js';
import type { ClipTokenizer } from './load-clip-tokenizer.js';
import type { LoadedDiffusionPipeline } from './load-diffusion-pipeline.js';

/** A float32 tensor, row-major. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

/** What the UNet is conditioned on, for every batch entry: `[negative, positive]` with guidance, `[positive]` without. */
export interface PromptConditioning {
  /** `encoder_hidden_states`: `[batch, tokens, width]` (width 768 for SD 1.x, 1024 for SD 2.x, 2048 for SDXL). */
  hiddenStates: FloatTensor;
  /** SDXL's pooled text embeddings (`text_embeds`): `[batch, 1280]`. */
  textEmbeds?: FloatTensor;
  batch: number;
}

/**
 * The output holding the hidden states a pipeline conditions on. SDXL conditions on the penultimate
 * layer of each encoder (diffusers: `hidden_states[-2]`); Optimum exports those as `hidden_states.0`
 * (the embeddings) … `hidden_states.N` (the last layer), so the penultimate is `hidden_states.{N−1}`.
 * SD 1.x/2.x (and an export without hidden states) use `last_hidden_state`.
 */
export function conditioningOutput(encoder: OnnxModel, penultimate: boolean): string {
  const layers = encoder.outputNames.map((name) => /^hidden_states\.(\d+)$/.exec(name)?.[1]).filter((index): index is string => index !== undefined).map(Number);
  if (penultimate && layers.length > 1) return `hidden_states.${Math.max(...layers) - 1}`;
  if (encoder.outputNames.includes('last_hidden_state')) return 'last_hidden_state';
  return encoder.outputNames[0]!;
}

async function runEncoder(encoder: OnnxModel, tokenizer: ClipTokenizer, text: string, fetches: string[], signal: AbortSignal): Promise<Record<string, FloatTensor>> {
  const ids = tokenizer.encode(text);
  const input = encoder.inputNames.find((name) => name === 'input_ids') ?? encoder.inputNames[0]!;
  return encoder.run({ [input]: { data: ids, dims: [1, ids.length] } }, fetches, signal);
}

/** Concatenates `[1, tokens, a]` and `[1, tokens, b]` along the last axis. */
function concatLastAxis(first: FloatTensor, second: FloatTensor): FloatTensor {
  const tokens = first.dims[1]!;
  const [a, b] = [first.dims[2]!, second.dims[2]!];
  const data = new Float32Array(tokens * (a + b));
  for (let token = 0; token < tokens; token += 1) {
    data.set(first.data.subarray(token * a, (token + 1) * a), token * (a + b));
    data.set(second.data.subarray(token * b, (token + 1) * b), token * (a + b) + a);
  }
  return { data, dims: [1, tokens, a + b] };
}

/** Stacks `[1, …]` tensors of one shape into `[n, …]`. */
export function stackBatch(tensors: FloatTensor[]): FloatTensor {
  const size = tensors[0]!.data.length;
  const data = new Float32Array(size * tensors.length);
  tensors.forEach((tensor, index) => data.set(tensor.data, index * size));
  return { data, dims: [tensors.length, ...tensors[0]!.dims.slice(1)] };
}

const zerosLike = (tensor: FloatTensor): FloatTensor => ({ data: new Float32Array(tensor.data.length), dims: [...tensor.dims] });

/**
 * Encodes the prompt (and, with classifier-free guidance, the negative prompt) as diffusers'
 * `encode_prompt` does. SD: the text encoder's `last_hidden_state`. SDXL: both encoders' penultimate
 * hidden states side by side (768 + 1280 = 2048 wide) and the second encoder's pooled, projected
 * `text_embeds`; an empty negative prompt is all zeros (SDXL's `force_zeros_for_empty_prompt`).
 *
 * @throws DarkroomError `configuration` when an SDXL text encoder lacks the outputs it needs.
 */
export async function encodePrompt(
  pipeline: LoadedDiffusionPipeline,
  options: { prompt: string; negativePrompt?: string | undefined; guided: boolean },
  signal: AbortSignal,
): Promise<PromptConditioning> {
  const { textEncoder, textEncoder2, tokenizer, tokenizer2, folder } = pipeline;
  const negative = options.negativePrompt?.trim() ?? '';
  if (folder.family === 'sd' || !textEncoder2 || !tokenizer2) {
    const output = conditioningOutput(textEncoder, false);
    const encode = async (text: string) => (await runEncoder(textEncoder, tokenizer, text, [output], signal))[output]!;
    const positive = await encode(options.prompt);
    if (!options.guided) return { hiddenStates: positive, batch: 1 };
    return { hiddenStates: stackBatch([await encode(negative), positive]), batch: 2 };
  }
  const first = conditioningOutput(textEncoder, true);
  const second = conditioningOutput(textEncoder2, true);
  const pooled = ['text_embeds', 'pooler_output'].find((name) => textEncoder2.outputNames.includes(name));
  if (!pooled) {
    throw new DarkroomError({
      code: 'configuration',
      message: `SDXL's second text encoder (${folder.files.textEncoder2}) has no text_embeds output (it has ${textEncoder2.outputNames.join(', ')}); export it with Optimum (text-encoder-2 with projection)`,
    });
  }
  const encode = async (text: string) => {
    const [one, two] = await Promise.all([
      runEncoder(textEncoder, tokenizer, text, [first], signal),
      runEncoder(textEncoder2, tokenizer2, text, [second, pooled], signal),
    ]);
    return { hidden: concatLastAxis(one[first]!, two[second]!), pooled: two[pooled]! };
  };
  const positive = await encode(options.prompt);
  if (!options.guided) return { hiddenStates: positive.hidden, textEmbeds: positive.pooled, batch: 1 };
  const unconditional = negative ? await encode(negative) : { hidden: zerosLike(positive.hidden), pooled: zerosLike(positive.pooled) };
  return {
    hiddenStates: stackBatch([unconditional.hidden, positive.hidden]),
    textEmbeds: stackBatch([unconditional.pooled, positive.pooled]),
    batch: 2,
  };
}

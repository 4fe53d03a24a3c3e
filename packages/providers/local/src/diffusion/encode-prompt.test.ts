import { describe, expect, it } from 'vitest';
import type { OnnxModel, TensorData } from '../create-onnx-sessions.js';
import type { DiffusionModelFolder } from './diffusion-model.js';
import { encodePrompt } from './encode-prompt.js';
import type { ClipTokenizer } from './load-clip-tokenizer.js';
import type { LoadedDiffusionPipeline } from './load-diffusion-pipeline.js';

const tokens = 3;
/** A tokenizer stand-in: the first `tokens` character codes (0-padded). */
const tokenizer = { encode: (text: string) => Int32Array.from({ length: tokens }, (_, index) => text.charCodeAt(index) || 0), maxTokens: tokens } as unknown as ClipTokenizer;

/** A text encoder stand-in: every output is `[1, tokens, width]` of `id + offset(output)`, `text_embeds` `[1, 2]` of the ids' sum. */
function fakeEncoder(width: number, outputNames: string[], offset: number): OnnxModel {
  return {
    inputNames: ['input_ids'],
    outputNames,
    async run(feeds: Record<string, TensorData>, fetches: string[]) {
      const ids = Array.from(feeds.input_ids!.data);
      return Object.fromEntries(
        fetches.map((name) =>
          name === 'text_embeds'
            ? [name, { data: Float32Array.of(ids.reduce((a, b) => a + b, 0), -1), dims: [1, 2] }]
            : [name, { data: Float32Array.from({ length: tokens * width }, (_, index) => ids[Math.floor(index / width)]! + offset + (name === 'hidden_states.1' ? 0.5 : 0)), dims: [1, tokens, width] }],
        ),
      );
    },
  } as unknown as OnnxModel;
}

const pipeline = (family: 'sd' | 'sdxl'): LoadedDiffusionPipeline =>
  ({
    folder: { family, files: {} } as DiffusionModelFolder,
    textEncoder: fakeEncoder(2, family === 'sd' ? ['last_hidden_state', 'pooler_output'] : ['last_hidden_state', 'hidden_states.0', 'hidden_states.1', 'hidden_states.2'], 0),
    ...(family === 'sdxl' ? { textEncoder2: fakeEncoder(3, ['text_embeds', 'last_hidden_state', 'hidden_states.0', 'hidden_states.1', 'hidden_states.2'], 1000), tokenizer2: tokenizer } : {}),
    tokenizer,
  }) as unknown as LoadedDiffusionPipeline;
const signal = new AbortController().signal;

describe('encodePrompt', () => {
  it('SD: [negative, positive] last hidden states with guidance, the positive alone without', async () => {
    const guided = await encodePrompt(pipeline('sd'), { prompt: 'ab', negativePrompt: 'z', guided: true }, signal);
    expect(guided.batch).toBe(2);
    expect(guided.hiddenStates.dims).toEqual([2, tokens, 2]);
    expect(Array.from(guided.hiddenStates.data)).toEqual([122, 122, 0, 0, 0, 0, 97, 97, 98, 98, 0, 0]);
    const plain = await encodePrompt(pipeline('sd'), { prompt: 'ab', negativePrompt: 'z', guided: false }, signal);
    expect(plain).toMatchObject({ batch: 1, hiddenStates: { dims: [1, tokens, 2] } });
    expect(guided.textEmbeds).toBeUndefined();
  });

  it('SDXL: both encoders\' penultimate hidden states side by side, the pooled text_embeds, zeros for an empty negative prompt', async () => {
    const empty = await encodePrompt(pipeline('sdxl'), { prompt: 'a', guided: true }, signal);
    expect(empty.hiddenStates.dims).toEqual([2, tokens, 5]);
    expect(Array.from(empty.hiddenStates.data.subarray(0, 15)).every((value) => value === 0)).toBe(true);
    // Token 0 of the positive: encoder 1's hidden_states.1 (97.5 ×2), then encoder 2's (1097.5 ×3).
    expect(Array.from(empty.hiddenStates.data.subarray(15, 20))).toEqual([97.5, 97.5, 1097.5, 1097.5, 1097.5]);
    expect(empty.textEmbeds).toEqual({ data: Float32Array.of(0, 0, 97, -1), dims: [2, 2] });
    const negative = await encodePrompt(pipeline('sdxl'), { prompt: 'a', negativePrompt: 'b', guided: true }, signal);
    expect(Array.from(negative.hiddenStates.data.subarray(0, 5))).toEqual([98.5, 98.5, 1098.5, 1098.5, 1098.5]);
    expect(Array.from(negative.textEmbeds!.data)).toEqual([98, -1, 97, -1]);
  });
});

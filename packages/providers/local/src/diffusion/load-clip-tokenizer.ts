import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { DarkroomError } from '@darkroom/core';
import { clipTokenizerJson, parseClipMerges } from './clip-tokenizer-json.js';

/** A CLIP tokenizer that answers the fixed-length token ids a CLIP text encoder takes. */
export interface ClipTokenizer {
  /**
   * The ids of `text`, exactly {@link maxTokens} long, as diffusers' pipelines tokenize a prompt
   * (`padding="max_length", max_length=tokenizer.model_max_length, truncation=True`): BOS, the text's
   * tokens (cut to maxTokens − 2, so EOS is always there), EOS, then the pad id up to maxTokens. The
   * text is lower-cased, NFC-normalized and its whitespace runs made one space (CLIP's normalizer).
   * Int32 ids; a text encoder exported with int64 `input_ids` (Optimum) takes them as a BigInt64Array.
   *
   * @example
   * // SD 1.5's tokenizer: [49406, 320, 1125, 539, 320, 2368, 49407, 49407, …] (77 ids)
   * tokenizer.encode('a photo of a cat');
   */
  encode(text: string): Int32Array;
  /** The token ids of `text` alone: no BOS, EOS, padding or truncation. */
  tokenize(text: string): number[];
  /** The sequence length (77 for every Stable Diffusion CLIP text encoder). */
  readonly maxTokens: number;
  /** `<|startoftext|>` (49406 in CLIP's vocabulary). */
  readonly bosId: number;
  /** `<|endoftext|>` (49407 in CLIP's vocabulary). */
  readonly eosId: number;
  /** The padding id: `<|endoftext|>` (49407) for SD 1.x and SDXL's first tokenizer, `!` (0) for SD 2.x and SDXL's second. */
  readonly padId: number;
}

export interface LoadClipTokenizerOptions {
  /** The sequence length; by default `model_max_length` of tokenizer_config.json, else 77. */
  maxTokens?: number;
}

/** CLIPTokenizer's defaults (transformers `tokenization_clip.py`): pad and unknown are `<|endoftext|>`. */
const defaults = { bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', unk_token: '<|endoftext|>' } as const;
type SpecialName = keyof typeof defaults;

/**
 * Loads the CLIP tokenizer of a diffusion model's `tokenizer/` (or `tokenizer_2/`) folder with
 * `@huggingface/tokenizers`, from the folder's own files:
 * - `tokenizer.json` (a fast tokenizer's file) when present, with `tokenizer_config.json`;
 * - else `vocab.json` + `merges.txt` (what CLIPTokenizer saves, and so what Optimum's and diffusers'
 *   exports hold), turned into the same tokenizer.json that transformers' CLIPConverter writes
 *   ({@link clipTokenizerJson}).
 * Special tokens come from `tokenizer_config.json`, then `special_tokens_map.json` (a string or an
 * `{ content }` object each), then CLIPTokenizer's defaults. Added tokens of a tokenizer.json that are
 * ordinary vocabulary entries other than BOS/EOS/UNK (SDXL's `!` pad token) are left out, so a prompt's
 * `!` is tokenized as OpenCLIP does (see {@link clipTokenizerJson}).
 *
 * @throws DarkroomError `configuration` naming the file, when a needed file is missing or unreadable,
 * or a special token is not in the vocabulary.
 */
export async function loadClipTokenizer(folder: string, options: LoadClipTokenizerOptions = {}): Promise<ClipTokenizer> {
  const config = (await readJson(join(folder, 'tokenizer_config.json'), true)) ?? {};
  const specialMap = (await readJson(join(folder, 'special_tokens_map.json'), true)) ?? {};
  const special = (name: SpecialName) => tokenContent(config[name]) ?? tokenContent(specialMap[name]) ?? defaults[name];
  const [bosToken, eosToken, padToken, unkToken] = [special('bos_token'), special('eos_token'), special('pad_token'), special('unk_token')];

  let tokenizerJson = await readJson(join(folder, 'tokenizer.json'), true);
  if (tokenizerJson) {
    tokenizerJson = withoutOrdinaryAddedTokens(tokenizerJson, [bosToken, eosToken, unkToken]);
  } else {
    const vocab = (await readJson(join(folder, 'vocab.json'), false)) as Record<string, number>;
    const mergesPath = join(folder, 'merges.txt');
    let merges: Array<[string, string]>;
    try {
      merges = parseClipMerges(await readText(mergesPath));
    } catch (error) {
      if (DarkroomError.isInstance(error)) throw error;
      throw unreadable(mergesPath, error);
    }
    tokenizerJson = clipTokenizerJson({ vocab, merges, bosToken, eosToken, unkToken });
  }

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, config);
  } catch (error) {
    throw new DarkroomError({ code: 'configuration', message: `The tokenizer in ${folder} cannot be built (${(error as Error).message}); ${complete}`, cause: error });
  }
  const id = (token: string, role: string) => {
    const found = tokenizer.token_to_id(token);
    if (found === undefined) throw new DarkroomError({ code: 'configuration', message: `The ${role} token "${token}" of the tokenizer in ${folder} is not in its vocabulary; ${complete}` });
    return found;
  };
  const bosId = id(bosToken, 'beginning-of-text');
  const eosId = id(eosToken, 'end-of-text');
  const padId = id(padToken, 'padding');
  const configured = typeof config.model_max_length === 'number' && Number.isInteger(config.model_max_length) && config.model_max_length <= 100_000 ? config.model_max_length : 77;
  const maxTokens = options.maxTokens ?? configured;
  if (!Number.isInteger(maxTokens) || maxTokens < 2) throw new DarkroomError({ code: 'configuration', message: `maxTokens must be an integer of at least 2 (BOS and EOS), not ${maxTokens}` });

  const tokenize = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  return {
    maxTokens,
    bosId,
    eosId,
    padId,
    tokenize,
    encode(text) {
      const tokens = tokenize(text).slice(0, maxTokens - 2);
      const ids = new Int32Array(maxTokens).fill(padId);
      ids[0] = bosId;
      ids.set(tokens, 1);
      ids[tokens.length + 1] = eosId;
      return ids;
    },
  };
}

const complete = 'a complete CLIP tokenizer folder (as Optimum and diffusers export it) holds vocab.json and merges.txt (or tokenizer.json), with tokenizer_config.json and special_tokens_map.json';

function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  return undefined;
}

function unreadable(path: string, error: unknown): DarkroomError {
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  return new DarkroomError({
    code: 'configuration',
    message: `${path} ${missing ? 'is missing' : `cannot be read (${(error as Error).message})`}; ${complete}`,
    details: { file: path },
    cause: error,
  });
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}

async function readJson(path: string, optional: true): Promise<Record<string, unknown> | undefined>;
async function readJson(path: string, optional: false): Promise<Record<string, unknown>>;
async function readJson(path: string, optional: boolean): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, error);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw unreadable(path, error);
  }
}

function withoutOrdinaryAddedTokens(json: Record<string, unknown>, keep: string[]): Record<string, unknown> {
  const model = json.model as { vocab?: unknown } | undefined;
  const vocab = model && typeof model.vocab === 'object' && model.vocab !== null && !Array.isArray(model.vocab) ? (model.vocab as Record<string, number>) : {};
  const added = Array.isArray(json.added_tokens) ? (json.added_tokens as Array<{ id: number; content: string }>) : [];
  return { ...json, added_tokens: added.filter((token) => keep.includes(token.content) || vocab[token.content] !== token.id) };
}

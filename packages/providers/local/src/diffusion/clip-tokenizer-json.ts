// The tokenizer.json object of a CLIP tokenizer, from its vocab.json and merges.txt.

/** What a CLIP tokenizer folder's vocab.json, merges.txt and special-token settings hold. */
export interface ClipVocabulary {
  /** vocab.json: token → id (byte-level symbols, `</w>` marking a word's last symbol). */
  vocab: Record<string, number>;
  /** merges.txt in rank order, each a pair of symbols (the `#version` header already dropped). */
  merges: Array<[string, string]>;
  /** `<|startoftext|>` in every CLIP tokenizer. */
  bosToken: string;
  /** `<|endoftext|>` in every CLIP tokenizer. */
  eosToken: string;
  /** `<|endoftext|>` in every CLIP tokenizer. */
  unkToken: string;
}

/** The merges CLIPTokenizer reads: `merges.txt` lines 1 to 49152 − 256 − 2 (transformers' tokenization_clip.py). */
export const clipMergeLimit = 49152 - 256 - 2;

/**
 * The tokenizer.json object (Hugging Face `tokenizers` format) of the fast CLIP tokenizer that a
 * CLIP vocabulary describes, as transformers' `CLIPConverter` writes it (huggingface/transformers
 * `src/transformers/convert_slow_tokenizer.py`, class `CLIPConverter`): a BPE model with end-of-word
 * suffix `</w>` and no continuing-subword prefix; normalizer NFC → `\s+` to one space → lowercase;
 * pre-tokenizer CLIP's split regex (the matches kept) then byte-level without prefix space; a
 * RobertaProcessing post-processor (BOS … EOS); a byte-level decoder. `@huggingface/tokenizers` runs
 * it (no BPE code here).
 *
 * Only BOS, EOS and UNK are added (special) tokens: the pad token is not one. SD 2.x and SDXL's second
 * tokenizer pad with `!`, and registering it would turn every `!` of a prompt into the pad id, which
 * the OpenCLIP tokenizer those models were trained with does not do (huggingface/diffusers#4153).
 */
export function clipTokenizerJson(vocabulary: ClipVocabulary): Record<string, unknown> {
  const { vocab, merges, bosToken, eosToken, unkToken } = vocabulary;
  const special = [...new Set([bosToken, eosToken, unkToken])].filter((token) => vocab[token] !== undefined);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true })),
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: [eosToken, vocab[eosToken]], cls: [bosToken, vocab[bosToken]], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: unkToken,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/**
 * Pairs of a merges.txt as CLIPTokenizer reads it: the first line (`#version: 0.2`) skipped, at most
 * {@link clipMergeLimit} merges, each line split on whitespace. Blank lines are dropped.
 *
 * @throws TypeError naming the line when a line does not hold exactly two symbols.
 */
export function parseClipMerges(text: string): Array<[string, string]> {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const start = lines[0]?.startsWith('#version') ? 1 : 0;
  const merges: Array<[string, string]> = [];
  for (let index = start; index < lines.length && merges.length < clipMergeLimit; index += 1) {
    const parts = lines[index]!.split(/\s+/).filter(Boolean);
    if (parts.length === 0) continue;
    if (parts.length !== 2) throw new TypeError(`line ${index + 1} is "${lines[index]}", not two symbols`);
    merges.push([parts[0]!, parts[1]!]);
  }
  return merges;
}

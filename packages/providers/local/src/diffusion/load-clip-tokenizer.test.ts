import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clipTokenizerJson, parseClipMerges } from './clip-tokenizer-json.js';
import { loadClipTokenizer } from './load-clip-tokenizer.js';

const directory = mkdtempSync(join(tmpdir(), 'darkroom-clip-tokenizer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let folders = 0;
function folder(files: Record<string, unknown>): string {
  const path = join(directory, String((folders += 1)));
  mkdirSync(path);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/**
 * The real CLIP vocabulary's entries for the sentences below, with their real ids: built from openai/CLIP
 * clip/bpe_simple_vocab_16e6.txt.gz as clip/simple_tokenizer.py builds it (scripts/clip-vocabulary-subset.mjs
 * says how; the same ids as Hugging Face's openai/clip-vit-* vocab.json, used by every SD 1.x/SDXL tokenizer).
 */
const real = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/clip-vocabulary-subset.json'), 'utf8')) as { vocab: Record<string, number>; merges: string[] };
const realMerges = `#version: 0.2\n${real.merges.join('\n')}\n`;

/**
 * Expected ids, BOS (49406) and EOS (49407) included. "a photo of a cat" is the example every CLIP
 * port checks; the others are those independent ports publish as checked against Hugging Face's Python
 * tokenizer; "! !! !!!" is OpenCLIP's answer quoted in huggingface/diffusers#4153.
 */
const expected: Array<[string, number[]]> = [
  ['a photo of a cat', [49406, 320, 1125, 539, 320, 2368, 49407]],
  ['a painting of a dog', [49406, 320, 3086, 539, 320, 1929, 49407]],
  ['the brown fox jumps over the lazy dog', [49406, 518, 2866, 3240, 18911, 962, 518, 10753, 1929, 49407]],
  ['A cyberpunk street at night, neon lights!', [49406, 320, 36896, 2012, 536, 930, 267, 13919, 3073, 256, 49407]],
  ['Hello World', [49406, 3306, 1002, 49407]],
  ['a beautiful landscape, digital art, trending on artstation', [49406, 320, 1215, 5727, 267, 2794, 794, 267, 6087, 525, 1486, 2631, 49407]],
  ['! !! !!!', [49406, 256, 748, 995, 49407]],
];

describe('loadClipTokenizer', () => {
  it("reproduces transformers' own CLIP tokenizer test (tests/models/clip/test_tokenization_clip.py, test_full_tokenizer)", async () => {
    // Their vocabulary and merges; "lower newer" → lo, w, er</w>, n, e, w, er</w> = [10, 2, 16, 9, 3, 2, 16].
    const vocab = ['l', 'o', 'w', 'e', 'r', 's', 't', 'i', 'd', 'n', 'lo', 'l</w>', 'w</w>', 'r</w>', 't</w>', 'low</w>', 'er</w>', 'lowest</w>', 'newer</w>', 'wider', '<unk>', '<|startoftext|>', '<|endoftext|>'];
    const path = folder({ 'vocab.json': Object.fromEntries(vocab.map((token, id) => [token, id])), 'merges.txt': '#version: 0.2\nl o\nlo w</w>\ne r</w>', 'special_tokens_map.json': { unk_token: '<unk>' } });
    const tokenizer = await loadClipTokenizer(path, { maxTokens: 12 });
    expect(tokenizer.tokenize('lower newer')).toEqual([10, 2, 16, 9, 3, 2, 16]);
    expect([tokenizer.bosId, tokenizer.eosId, tokenizer.padId]).toEqual([21, 22, 22]);
    expect(Array.from(tokenizer.encode('lower newer'))).toEqual([21, 10, 2, 16, 9, 3, 2, 16, 22, 22, 22, 22]);
  });

  it('answers the real CLIP ids from vocab.json + merges.txt: BOS, tokens, EOS, padded with EOS to 77', async () => {
    const tokenizer = await loadClipTokenizer(folder({ 'vocab.json': real.vocab, 'merges.txt': realMerges, 'tokenizer_config.json': { model_max_length: 77, pad_token: '<|endoftext|>' } }));
    expect(tokenizer.maxTokens).toBe(77);
    for (const [text, ids] of expected) {
      const encoded = tokenizer.encode(text);
      expect(encoded).toBeInstanceOf(Int32Array);
      expect(encoded.length).toBe(77);
      expect(Array.from(encoded.slice(0, ids.length)), text).toEqual(ids);
      expect(encoded.slice(ids.length).every((id) => id === 49407), text).toBe(true);
    }
  });

  it("normalizes as CLIP does (lower case, whitespace runs) and cuts a long prompt so EOS stays last", async () => {
    const tokenizer = await loadClipTokenizer(folder({ 'vocab.json': real.vocab, 'merges.txt': realMerges }));
    expect(tokenizer.encode('  A   PHOTO\n\tof a Cat ')).toEqual(tokenizer.encode('a photo of a cat'));
    const long = tokenizer.encode(new Array(100).fill('cat').join(' '));
    expect(long.length).toBe(77);
    expect(long[0]).toBe(49406);
    expect(Array.from(long.slice(1, 76)).every((id) => id === 2368)).toBe(true);
    expect(long[76]).toBe(49407);
    expect(Array.from(tokenizer.encode(''))).toEqual([49406, ...new Array<number>(76).fill(49407)]);
  });

  it("reads tokenizer.json when the folder has one; SDXL's second tokenizer pads with '!' (0) yet tokenizes a prompt's '!' as OpenCLIP does", async () => {
    const json = clipTokenizerJson({ vocab: real.vocab, merges: parseClipMerges(realMerges), bosToken: '<|startoftext|>', eosToken: '<|endoftext|>', unkToken: '<|endoftext|>' });
    // As a fast tokenizer saves SDXL's tokenizer_2: the pad token "!" registered as a special added token.
    (json.added_tokens as unknown[]).push({ id: 0, content: '!', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    const tokenizer = await loadClipTokenizer(
      folder({ 'tokenizer.json': json, 'tokenizer_config.json': { model_max_length: 77, pad_token: '!', bos_token: { content: '<|startoftext|>' } }, 'special_tokens_map.json': { pad_token: { content: '!' } } }),
    );
    expect(tokenizer.padId).toBe(0);
    const encoded = tokenizer.encode('! !! !!!');
    expect(Array.from(encoded.slice(0, 6))).toEqual([49406, 256, 748, 995, 49407, 0]);
    expect(encoded.slice(5).every((id) => id === 0)).toBe(true);
    expect(Array.from(tokenizer.encode('a photo of a cat').slice(0, 8))).toEqual([49406, 320, 1125, 539, 320, 2368, 49407, 0]);
  });

  it('says which file is missing or unreadable, and what a complete tokenizer folder holds', async () => {
    await expect(loadClipTokenizer(folder({ 'merges.txt': realMerges }))).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/vocab\.json is missing; a complete CLIP tokenizer folder .* holds vocab\.json and merges\.txt/) });
    await expect(loadClipTokenizer(folder({ 'vocab.json': real.vocab }))).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/merges\.txt is missing/) });
    await expect(loadClipTokenizer(folder({ 'vocab.json': '{"a": 1', 'merges.txt': realMerges }))).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/vocab\.json cannot be read/) });
    await expect(loadClipTokenizer(folder({ 'vocab.json': real.vocab, 'merges.txt': '#version: 0.2\na b c' }))).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/merges\.txt cannot be read \(line 2/) });
    await expect(loadClipTokenizer(folder({ 'vocab.json': real.vocab, 'merges.txt': realMerges, 'tokenizer_config.json': { pad_token: '<pad>' } }))).rejects.toMatchObject({
      code: 'configuration',
      message: expect.stringMatching(/padding token "<pad>" .* is not in its vocabulary/),
    });
  });
});

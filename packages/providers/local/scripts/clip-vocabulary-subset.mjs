// Writes src/diffusion/fixtures/clip-vocabulary-subset.json: the part of the real CLIP vocabulary and merge
// list that the CLIP tokenizer tests' sentences need, with the real token ids, so the tests check the
// tokenizer against real CLIP ids without shipping the 1.3 MB merge file.
//
// Source: openai/CLIP, clip/bpe_simple_vocab_16e6.txt.gz (git blob 7b5088a527f720063f044eb928eee315f63b2fc0).
// The vocabulary is built from it as openai/CLIP clip/simple_tokenizer.py builds it (SimpleTokenizer.__init__):
// merges = lines[1 : 49152-256-2+1]; vocab = the 256 byte symbols of bytes_to_unicode(), the same with
// '</w>', one token per merge (the pair joined), then '<|startoftext|>' and '<|endoftext|>' (ids 49406, 49407).
// Hugging Face's CLIP vocab.json/merges.txt (openai/clip-vit-*) hold the same tokens and ids.
//
// A merge is kept when its joined token is a substring of a test word (lower-cased, split as CLIP splits,
// byte symbols, '</w>' on the last): every merge that BPE can apply to a word joins two adjacent symbols of
// it, so its result is such a substring. Kept merges keep their order, so BPE on the subset applies the same
// merges as on the whole list.
//
// Usage: node scripts/clip-vocabulary-subset.mjs path/to/bpe_simple_vocab_16e6.txt.gz
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';

export const sentences = [
  'a photo of a cat',
  'a painting of a dog',
  'the brown fox jumps over the lazy dog',
  'A cyberpunk street at night, neon lights!',
  'Hello World',
  'a beautiful landscape, digital art, trending on artstation',
  '! !! !!!',
];

function bytesToUnicode() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n); n++; }
  const map = new Map();
  bs.forEach((b, i) => map.set(b, String.fromCodePoint(cs[i])));
  return map;
}

const [path] = process.argv.slice(2);
const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((line) => line.split(/\s+/).filter(Boolean));
const bytes = bytesToUnicode();
const base = [...bytes.values()];
const vocabulary = [...base, ...base.map((symbol) => `${symbol}</w>`), ...merges.map((pair) => pair.join('')), '<|startoftext|>', '<|endoftext|>'];

const split = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;
const words = sentences.flatMap((sentence) => sentence.toLowerCase().match(split) ?? []).map((word) => `${Array.from(new TextEncoder().encode(word), (b) => bytes.get(b)).join('')}</w>`);
const keptMerges = merges.filter((pair) => words.some((word) => word.includes(pair.join(''))));
const keep = new Set([...base, ...base.map((symbol) => `${symbol}</w>`), ...keptMerges.map((pair) => pair.join('')), '<|startoftext|>', '<|endoftext|>']);
const vocab = {};
vocabulary.forEach((token, id) => { if (keep.has(token) && !(token in vocab)) vocab[token] = id; });
writeFileSync(
  new URL('../src/diffusion/fixtures/clip-vocabulary-subset.json', import.meta.url),
  `${JSON.stringify({ source: 'openai/CLIP clip/bpe_simple_vocab_16e6.txt.gz (blob 7b5088a527f720063f044eb928eee315f63b2fc0), vocabulary built as clip/simple_tokenizer.py builds it; subset by scripts/clip-vocabulary-subset.mjs', sentences, vocab, merges: keptMerges.map((pair) => pair.join(' ')) })}\n`,
);
console.log(`${Object.keys(vocab).length} tokens, ${keptMerges.length} merges, ${vocabulary.length} in the whole vocabulary`);

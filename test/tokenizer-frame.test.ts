/**
 * The serving tokenizer's own truncation and padding (Tokenizers.js ignores both fields) against
 * the native Rust tokenizers, which apply them itself, on real e-mails under every setting a
 * tokenizer.json can declare; and the WordPiece fitter on a small known case.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../models/text-encoder/corpus.ts';
import { nativeTokenizer } from '../src/node/pipeline/native-tokenizer.ts';
import { fitWordPiece } from '../src/tools/pipeline/tokenizer/fit-wordpiece.ts';
import { jsTokenizer } from '../src/tools/pipeline/tokenizer/js-tokenizer.ts';
import type { TokenizerJson } from '../src/tools/pipeline/tokenizer/tokenizer-json.ts';
import { loadBundledTokenizer, planted } from './tokenizer-plants.ts';

const texts = loadCorpus()
  .filter((_, i) => i % 25 === 1)
  .map((t) => t.text);
const base = loadBundledTokenizer();

const SETTINGS: [string, (j: TokenizerJson) => void][] = [
  ['as bundled (right, fixed 64)', () => {}],
  ['truncate left, pad left', (j) => ((j.truncation!.direction = 'Left'), (j.padding!.direction = 'Left'))],
  ['max length 20', (j) => (j.truncation!.max_length = 20)],
  [
    'pad to the batch longest, multiple of 8',
    (j) => ((j.padding!.strategy = 'BatchLongest'), (j.padding!.pad_to_multiple_of = 8), (j.truncation!.max_length = 100)),
  ],
  ['no truncation, no padding', (j) => ((j.truncation = null), (j.padding = null))],
  [
    'no special tokens, max length 16',
    (j) => (((j.post_processor as { single: unknown[] }).single = [{ Sequence: { id: 'A', type_id: 0 } }]), (j.truncation!.max_length = 16)),
  ],
];

describe('truncation and padding: Tokenizers.js + frame.ts vs the native tokenizers', () => {
  for (const [name, edit] of SETTINGS) {
    it(`agrees on ${texts.length} real e-mails: ${name}`, async () => {
      const json = planted(base, edit);
      const [a, b] = [await nativeTokenizer(json).encode(texts), await jsTokenizer(json).encode(texts)];
      const bad = a
        .map((x, i) => (JSON.stringify([x.ids, x.mask, x.tokens]) === JSON.stringify([b[i]!.ids, b[i]!.mask, b[i]!.tokens]) ? -1 : i))
        .filter((i) => i >= 0);
      expect(bad).toEqual([]);
      if (json.padding) expect(new Set(b.map((x) => x.ids.length)).size).toBe(1);
    }, 30_000);
  }
});

describe('fitWordPiece', () => {
  it('starts from characters and merges the most frequent pairs first, deterministically', () => {
    const counts = new Map([
      ['low', 5],
      ['lower', 2],
      ['newest', 6],
      ['widest', 3],
    ]);
    const vocab = fitWordPiece(counts, { vocabSize: 30, specialTokens: ['[PAD]', '[UNK]'] });
    expect(vocab['[PAD]']).toBe(0);
    expect(vocab['[UNK]']).toBe(1);
    expect(vocab.l).toBeDefined();
    expect(vocab['##e']).toBeDefined();
    // 'e'+'s' (9 times: newest 6, widest 3) and then 'es'+'t' come before rarer pairs.
    const order = Object.entries(vocab)
      .sort((x, y) => x[1] - y[1])
      .map(([t]) => t);
    expect(order.indexOf('##es')).toBeLessThan(order.indexOf('##est'));
    expect(order).toContain('low');
    expect(fitWordPiece(counts, { vocabSize: 30, specialTokens: ['[PAD]', '[UNK]'] })).toEqual(vocab);
  });
});

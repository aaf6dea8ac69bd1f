/**
 * Serving tokenizers with one planted difference each, made from the bundled tokenizer.json, and the
 * diagnosis kind `parity skew` must name for each. Shared by the tokenizer skew tests.
 */
import { readFileSync } from 'node:fs';
import type { TokenizerJson } from '../src/tools/pipeline/tokenizer/tokenizer-json.ts';
import type { TokenizerDiagnosisKind } from '../src/tools/pipeline/skew/tokenizer-types.ts';

export const BUNDLED_TOKENIZER = new URL('../models/text-encoder/tokenizer.json', import.meta.url).pathname;
export const HELDOUT_CSV = new URL('../models/text-encoder/heldout.csv', import.meta.url).pathname;

export const loadBundledTokenizer = (): TokenizerJson => JSON.parse(readFileSync(BUNDLED_TOKENIZER, 'utf8')) as TokenizerJson;

type Json = Record<string, unknown>;
const bert = (j: TokenizerJson) => ((j.normalizer as Json).normalizers as Json[]).find((n) => n.type === 'BertNormalizer')!;

/** Each planted difference: a name, the kind it must be diagnosed as, and the edit. */
export const PLANTS: { name: string; kind: TokenizerDiagnosisKind; plant: (j: TokenizerJson) => void }[] = [
  { name: 'no lowercasing', kind: 'lowercase-accents', plant: (j) => Object.assign(bert(j), { lowercase: false }) },
  { name: 'accents kept', kind: 'lowercase-accents', plant: (j) => Object.assign(bert(j), { strip_accents: false }) },
  { name: 'NFC instead of NFKC', kind: 'unicode-normalization', plant: (j) => (((j.normalizer as Json).normalizers as Json[])[0] = { type: 'NFC' }) },
  { name: 'special tokens missing', kind: 'special-tokens', plant: (j) => ((j.post_processor as Json).single = [{ Sequence: { id: 'A', type_id: 0 } }]) },
  {
    name: '[CLS] doubled',
    kind: 'special-tokens',
    plant: (j) => {
      const single = (j.post_processor as Json).single as Json[];
      single.unshift(single[0]!);
    },
  },
  { name: 'truncated on the left', kind: 'truncation', plant: (j) => (j.truncation!.direction = 'Left') },
  { name: 'max length 48', kind: 'truncation', plant: (j) => (j.truncation!.max_length = 48) },
  { name: 'padded on the left', kind: 'padding', plant: (j) => (j.padding!.direction = 'Left') },
  { name: 'unknown words → [MASK]', kind: 'unknown-token', plant: (j) => (j.model.unk_token = '[MASK]') },
  { name: 'words over 12 chars unknown', kind: 'unknown-token', plant: (j) => (j.model.max_input_chars_per_word = 12) },
  {
    name: 'token inserted at id 5',
    kind: 'vocab-shift',
    plant: (j) => {
      const entries = Object.entries(j.model.vocab as Record<string, number>).sort((a, b) => a[1] - b[1]);
      entries.splice(5, 0, ['[unused0]', 5]);
      entries.pop();
      j.model.vocab = Object.fromEntries(entries.map(([t], i) => [t, i]));
    },
  },
];

/** A deep copy of `base` with one plant applied. */
export function planted(base: TokenizerJson, plant: (j: TokenizerJson) => void): TokenizerJson {
  const j = JSON.parse(JSON.stringify(base)) as TokenizerJson;
  plant(j);
  return j;
}

/**
 * The standard Hugging Face `tokenizer.json` (the file `tokenizers` writes and transformers.js reads):
 * writing a BERT-style WordPiece one from a fitted vocabulary, and reading the parts the feature
 * pipeline needs beside the tokenizer itself — truncation, padding, special tokens and the text column.
 * Pure: no Node imports.
 */
import { ParityError } from '../../../kernel/core/errors.ts';
import type { Vocab } from './fit-wordpiece.ts';

/** The parts of a tokenizer.json read here (the rest is passed through to the tokenizer libraries). */
export interface TokenizerJson {
  version?: string;
  truncation?: { direction?: 'Left' | 'Right'; max_length: number; strategy?: string; stride?: number } | null;
  padding?: {
    strategy?: 'BatchLongest' | { Fixed: number };
    direction?: 'Left' | 'Right';
    pad_to_multiple_of?: number | null;
    pad_id?: number;
    pad_type_id?: number;
    pad_token?: string;
  } | null;
  added_tokens?: { id: number; content: string; special?: boolean }[];
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  post_processor?: unknown;
  decoder?: unknown;
  model: { type: string; vocab?: Vocab | unknown; unk_token?: string } & Record<string, unknown>;
  /** infer-parity's own key (ignored by the tokenizer libraries): the CSV column holding the text. Default `text`. */
  text_column?: string;
}

/** Options of {@link bertTokenizerJson}. */
export interface BertTokenizerOptions {
  /** Sequence length of the model inputs (truncate and pad to it). */
  maxLength: number;
  /** Default `text`. */
  textColumn?: string;
}

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** The normalizer of the bundled tokenizer: NFKC, then BERT's clean-up, lowercasing and accent stripping. */
const BERT_NORMALIZER = {
  type: 'Sequence',
  normalizers: [{ type: 'NFKC' }, { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true }],
};

/** A BERT-style WordPiece tokenizer.json: `[CLS] text [SEP]`, truncated right and padded right to `maxLength`. */
export function bertTokenizerJson(vocab: Vocab, o: BertTokenizerOptions): TokenizerJson {
  const id = (t: string) => {
    const v = vocab[t];
    if (v === undefined) throw new ParityError('USAGE', `the vocabulary has no '${t}'; fit it with the special tokens ${SPECIAL_TOKENS.join(' ')}`);
    return v;
  };
  const special = (t: string) => ({ id: t, type_id: 0 });
  return {
    version: '1.0',
    truncation: { direction: 'Right', max_length: o.maxLength, strategy: 'LongestFirst', stride: 0 },
    padding: { strategy: { Fixed: o.maxLength }, direction: 'Right', pad_to_multiple_of: null, pad_id: id('[PAD]'), pad_type_id: 0, pad_token: '[PAD]' },
    added_tokens: SPECIAL_TOKENS.map((t) => ({
      id: id(t),
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: BERT_NORMALIZER,
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: special('[CLS]') }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: special('[SEP]') }],
      pair: [
        { SpecialToken: special('[CLS]') },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: special('[SEP]') },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    ...(o.textColumn && o.textColumn !== 'text' ? { text_column: o.textColumn } : {}),
  };
}

/** Parses a tokenizer.json's text, checking the fields read here. */
export function parseTokenizerJson(text: string, name = 'tokenizer.json'): TokenizerJson {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new ParityError('CONFIG_INVALID', `${name} is not valid JSON: ${(e as Error).message}`);
  }
  const t = j as TokenizerJson;
  if (!t || typeof t !== 'object' || !t.model || typeof t.model !== 'object' || typeof t.model.type !== 'string') {
    throw new ParityError('CONFIG_INVALID', `${name} is not a Hugging Face tokenizer.json (expected a 'model' with a 'type')`);
  }
  const max = t.truncation?.max_length;
  if (t.truncation && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    throw new ParityError('CONFIG_INVALID', `${name}: truncation.max_length must be a positive integer, got ${JSON.stringify(max)}`);
  }
  return t;
}

/** True when `j` looks like a tokenizer.json (used to route `parity skew --pipeline`). */
export function isTokenizerJson(j: unknown): boolean {
  const m = (j as { model?: { type?: unknown } } | null)?.model;
  return !!m && typeof m === 'object' && typeof m.type === 'string' && ('normalizer' in (j as object) || 'pre_tokenizer' in (j as object));
}

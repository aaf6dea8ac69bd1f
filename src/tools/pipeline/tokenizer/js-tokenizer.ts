/**
 * The serving side of a text pipeline: a tokenizer.json run by the pure-JS Tokenizers.js
 * (`@huggingface/tokenizers`, the tokenizer inside transformers.js) — the same code in Node and in
 * the page — with truncation and padding applied as the file declares (./frame.ts). Raw text in,
 * tokens, ids and attention masks out. Pure: no Node imports.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { ParityError, errorMessage } from '../../../kernel/core/errors.ts';
import { pad, truncate, type TokenizedText } from './frame.ts';
import type { TokenizerJson } from './tokenizer-json.ts';

/** Turns texts into model inputs; `library` names the implementation (recorded in reports). */
export interface TextTokenizer {
  readonly json: TokenizerJson;
  readonly library: string;
  encode(texts: readonly string[]): Promise<TokenizedText[]>;
}

export function jsTokenizer(json: TokenizerJson, name = 'tokenizer.json'): TextTokenizer {
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(json as unknown as object, {});
  } catch (e) {
    throw new ParityError('CONFIG_INVALID', `${name}: Tokenizers.js cannot load it: ${errorMessage(e).split('\n')[0]!.slice(0, 200)}`);
  }
  return {
    json,
    library: '@huggingface/tokenizers (Tokenizers.js)',
    async encode(texts) {
      const raw = texts.map((text) => {
        const full = tok.encode(text);
        const content = tok.encode(text, { add_special_tokens: false });
        return { full: { ids: full.ids, tokens: full.tokens }, content: { ids: content.ids, tokens: content.tokens } };
      });
      return pad(
        raw.map((r) => truncate(r, json)),
        json,
      );
    },
  };
}

/** Model feeds from tokenized texts: int64 `input_ids` and `attention_mask` [n, length], cut or padded to `length`. */
export function textFeeds(batch: readonly TokenizedText[], length: number, padId = 0): { ids: BigInt64Array; mask: BigInt64Array } {
  const ids = new BigInt64Array(batch.length * length).fill(BigInt(padId));
  const mask = new BigInt64Array(batch.length * length);
  batch.forEach((t, r) => {
    for (let j = 0; j < Math.min(length, t.ids.length); j++) {
      ids[r * length + j] = BigInt(t.ids[j]!);
      mask[r * length + j] = BigInt(t.mask[j]!);
    }
  });
  return { ids, mask };
}

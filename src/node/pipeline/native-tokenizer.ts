/**
 * The offline reference of a text pipeline: a tokenizer.json run by the native Hugging Face
 * tokenizers binding (the `tokenizers` npm package — the Rust core that Python training uses), with
 * the truncation and padding the file declares applied by the library itself. Node only (native).
 */
import { Tokenizer } from 'tokenizers';
import { ParityError, errorMessage } from '../../kernel/core/errors.ts';
import type { TokenizedText } from '../../tools/pipeline/tokenizer/frame.ts';
import type { TextTokenizer } from '../../tools/pipeline/tokenizer/js-tokenizer.ts';
import type { TokenizerJson } from '../../tools/pipeline/tokenizer/tokenizer-json.ts';

export function nativeTokenizer(json: TokenizerJson, name = 'tokenizer.json'): TextTokenizer {
  let tok: Tokenizer;
  try {
    tok = Tokenizer.fromString(JSON.stringify(json));
  } catch (e) {
    throw new ParityError('CONFIG_INVALID', `${name}: the native tokenizers binding cannot load it: ${errorMessage(e).split('\n')[0]!.slice(0, 200)}`);
  }
  return {
    json,
    library: 'tokenizers (native Hugging Face binding)',
    async encode(texts): Promise<TokenizedText[]> {
      const out = await tok.encodeBatch([...texts]);
      return out.map((e) => ({ tokens: [...e.getTokens()], ids: Array.from(e.getIds()), mask: Array.from(e.getAttentionMask()) }));
    },
  };
}

/**
 * Tokenization in the page: a tokenizer.json through the same serving code Node runs
 * (src/tools/pipeline/tokenizer: Tokenizers.js, then truncation and padding as the file declares).
 * Loaded on first use, so a plain run page stays light.
 */
import { jsTokenizer } from '../../src/tools/pipeline/tokenizer/js-tokenizer.ts';
import type { TokenizedText } from '../../src/tools/pipeline/tokenizer/frame.ts';
import { parseTokenizerJson } from '../../src/tools/pipeline/tokenizer/tokenizer-json.ts';

export async function tokenizeInPage(tokenizerJson: unknown, texts: readonly string[]): Promise<TokenizedText[]> {
  const json = typeof tokenizerJson === 'string' ? tokenizerJson : JSON.stringify(tokenizerJson);
  return jsTokenizer(parseTokenizerJson(json)).encode(texts);
}

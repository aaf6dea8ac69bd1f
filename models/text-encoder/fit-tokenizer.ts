/**
 * Fits the bundled text encoder's WordPiece tokenizer on the training split and writes
 * `models/text-encoder/tokenizer.json` (standard Hugging Face format). The words are normalized and
 * pre-tokenized by the native Hugging Face `tokenizers` binding with the same normalizer and
 * pre-tokenizer the file declares, then src/tools/pipeline/tokenizer/fit-wordpiece.ts fits the
 * vocabulary (the binding has no trainer factory). Deterministic. Called by train.ts; runnable alone:
 * `node bin/run-ts.js models/text-encoder/fit-tokenizer.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bertNormalizer, bertPreTokenizer, nfkcNormalizer, sequenceNormalizer, Tokenizer } from 'tokenizers';
import { fitWordPiece } from '../../src/tools/pipeline/tokenizer/fit-wordpiece.ts';
import { bertTokenizerJson, SPECIAL_TOKENS, type TokenizerJson } from '../../src/tools/pipeline/tokenizer/tokenizer-json.ts';
import type { LabelledText } from './corpus.ts';

export const VOCAB_SIZE = 2000;
export const MAX_LENGTH = 64;
const HERE = new URL('.', import.meta.url).pathname;
export const TOKENIZER_FILE = join(HERE, 'tokenizer.json');

/** Fits the vocabulary on `train`, writes tokenizer.json, and checks the native binding loads it. */
export function fitTokenizer(train: readonly LabelledText[], file = TOKENIZER_FILE): TokenizerJson {
  const norm = sequenceNormalizer([nfkcNormalizer(), bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true })]);
  const pre = bertPreTokenizer();
  const counts = new Map<string, number>();
  for (const t of train) {
    for (const [w] of pre.preTokenizeString(norm.normalizeString(t.text))) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const vocab = fitWordPiece(counts, { vocabSize: VOCAB_SIZE, specialTokens: SPECIAL_TOKENS });
  const json = bertTokenizerJson(vocab, { maxLength: MAX_LENGTH });
  writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
  const tok = Tokenizer.fromFile(file);
  if (tok.getVocabSize(true) !== Object.keys(vocab).length)
    throw new Error(`native tokenizers read ${tok.getVocabSize(true)} tokens, wrote ${Object.keys(vocab).length}`);
  console.log(`tokenizer: ${Object.keys(vocab).length} WordPiece tokens from ${counts.size} distinct words → ${file}`);
  return json;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { splitCorpus } = await import('./corpus.ts');
  fitTokenizer(splitCorpus().train);
}

/**
 * Fits a WordPiece vocabulary from word counts, the way Hugging Face's WordPiece trainer does it: start
 * from the characters (word-initial `c` and continuation `##c`), then repeatedly merge the most frequent
 * adjacent pair until the vocabulary has `vocabSize` entries. The words must already be normalized and
 * pre-tokenized by the tokenizer that will use the vocabulary. Deterministic: ties go to the pair seen
 * first. Pure: no Node imports.
 */
import { ParityError } from '../../../kernel/core/errors.ts';

/** Options of {@link fitWordPiece}. */
export interface WordPieceFitOptions {
  /** Final vocabulary size, special tokens included. */
  vocabSize: number;
  /** Special tokens, given the first ids in this order (e.g. `[PAD] [UNK] [CLS] [SEP] [MASK]`). */
  specialTokens: readonly string[];
  /** Characters seen fewer times are left out of the alphabet (they become the unknown token). Default 2. */
  minCharCount?: number;
  /** Continuation prefix. Default `##`. */
  prefix?: string;
}

/** Token → id, ids dense from 0 in insertion order. */
export type Vocab = Record<string, number>;

export function fitWordPiece(wordCounts: ReadonlyMap<string, number>, o: WordPieceFitOptions): Vocab {
  const prefix = o.prefix ?? '##';
  const minChar = o.minCharCount ?? 2;
  if (o.vocabSize <= o.specialTokens.length)
    throw new ParityError('USAGE', `vocabSize ${o.vocabSize} must exceed the ${o.specialTokens.length} special tokens`);
  const tokens: string[] = [];
  const idOf = new Map<string, number>();
  const add = (t: string): number => {
    let id = idOf.get(t);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(t);
      idOf.set(t, id);
    }
    return id;
  };
  for (const s of o.specialTokens) add(s);
  const charCount = new Map<string, number>();
  for (const [w, n] of wordCounts) for (const c of w) charCount.set(c, (charCount.get(c) ?? 0) + n);
  const alphabet = [...charCount].filter(([, n]) => n >= minChar).map(([c]) => c);
  alphabet.sort();
  for (const c of alphabet) add(c);
  for (const c of alphabet) add(prefix + c);
  // Words as symbol-id arrays; words with a character outside the alphabet cannot be merged into.
  const words: { syms: number[]; n: number }[] = [];
  for (const [w, n] of wordCounts) {
    const chars = [...w];
    if (chars.some((c) => !idOf.has(c))) continue;
    words.push({ syms: chars.map((c, i) => idOf.get(i === 0 ? c : prefix + c)!), n });
  }
  const key = (a: number, b: number) => a * 1_000_003 + b;
  const pairs = new Map<number, number>();
  const count = (syms: number[], n: number, sign: number) => {
    for (let i = 0; i + 1 < syms.length; i++) {
      const k = key(syms[i]!, syms[i + 1]!);
      const v = (pairs.get(k) ?? 0) + sign * n;
      if (v === 0) pairs.delete(k);
      else pairs.set(k, v);
    }
  };
  for (const w of words) count(w.syms, w.n, 1);
  while (tokens.length < o.vocabSize && pairs.size > 0) {
    let best = -1;
    let bestN = 0;
    for (const [k, n] of pairs) if (n > bestN) [best, bestN] = [k, n];
    if (bestN < 2) break;
    const a = Math.floor(best / 1_000_003);
    const b = best - a * 1_000_003;
    const merged = add(tokens[a]! + tokens[b]!.slice(tokens[b]!.startsWith(prefix) ? prefix.length : 0));
    for (const w of words) {
      const s = w.syms;
      let hit = false;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) hit = true;
      if (!hit) continue;
      count(s, w.n, -1);
      const next: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(s[i]!);
      }
      w.syms = next;
      count(next, w.n, 1);
    }
  }
  const vocab: Vocab = {};
  tokens.forEach((t, i) => (vocab[t] = i));
  return vocab;
}

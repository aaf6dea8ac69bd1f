/**
 * Truncation and padding as a tokenizer.json declares them, applied to an encoding that the
 * tokenizer library produced without them (Tokenizers.js ignores both fields). Truncation keeps the
 * template's special tokens and cuts the text's tokens on the declared side, as the Rust `tokenizers`
 * does for a single sequence; padding fills to the fixed length (or the batch's longest) on the
 * declared side with `pad_id`, mask 0. Pure.
 */
import type { TokenizerJson } from './tokenizer-json.ts';

/** One text's model inputs and the tokens behind them. */
export interface TokenizedText {
  tokens: string[];
  ids: number[];
  /** 1 for real tokens, 0 for padding. */
  mask: number[];
}

/** A text's encoding with and without the template's special tokens (from the same library). */
export interface RawEncoding {
  full: { ids: number[]; tokens: string[] };
  content: { ids: number[]; tokens: string[] };
}

/** Where the content sits inside the full encoding: the template's prefix and suffix lengths. */
function templateSplit(e: RawEncoding): [number, number] {
  const f = e.full.ids;
  const c = e.content.ids;
  for (let k = 0; k + c.length <= f.length; k++) {
    let same = true;
    for (let i = 0; i < c.length && same; i++) same = f[k + i] === c[i];
    if (same) return [k, f.length - k - c.length];
  }
  return [0, 0];
}

/** Truncates one encoding as `json.truncation` says (special tokens kept). */
export function truncate(e: RawEncoding, json: TokenizerJson): { ids: number[]; tokens: string[] } {
  const t = json.truncation;
  if (!t || e.full.ids.length <= t.max_length) return { ids: [...e.full.ids], tokens: [...e.full.tokens] };
  const [pre, post] = templateSplit(e);
  const room = Math.max(0, t.max_length - pre - post);
  const n = e.content.ids.length;
  const [from, to] = t.direction === 'Left' ? [n - room, n] : [0, room];
  const pick = <T>(full: T[], content: T[]) => [...full.slice(0, pre), ...content.slice(from, to), ...full.slice(full.length - post)];
  return { ids: pick(e.full.ids, e.content.ids), tokens: pick(e.full.tokens, e.content.tokens) };
}

/** Pads a batch of truncated encodings as `json.padding` says. */
export function pad(batch: readonly { ids: number[]; tokens: string[] }[], json: TokenizerJson): TokenizedText[] {
  const p = json.padding;
  if (!p) return batch.map((b) => ({ ids: [...b.ids], tokens: [...b.tokens], mask: b.ids.map(() => 1) }));
  let target = typeof p.strategy === 'object' && p.strategy ? p.strategy.Fixed : Math.max(0, ...batch.map((b) => b.ids.length));
  const multiple = p.pad_to_multiple_of ?? 0;
  if (multiple > 0 && target % multiple) target += multiple - (target % multiple);
  const padId = p.pad_id ?? 0;
  const padToken = p.pad_token ?? '[PAD]';
  return batch.map((b) => {
    const n = Math.max(0, target - b.ids.length);
    const fill = <T>(v: T) => Array.from({ length: n }, () => v);
    const mask = b.ids.map(() => 1);
    return p.direction === 'Left'
      ? { ids: [...fill(padId), ...b.ids], tokens: [...fill(padToken), ...b.tokens], mask: [...fill(0), ...mask] }
      : { ids: [...b.ids, ...fill(padId)], tokens: [...b.tokens, ...fill(padToken)], mask: [...mask, ...fill(0)] };
  });
}

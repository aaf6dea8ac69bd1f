/**
 * Sequence roles: `ctc` (greedy CTC decoding: argmax per step, repeats collapsed, blanks dropped)
 * and `tokens` (vocabulary scores per position). Error rates are Levenshtein distances over
 * decoded token ids. Pure: no Node imports.
 */
import { computeDecisionMetrics } from './decision.ts';
import type { FlatOutput } from './float-data.ts';
import type { RoleMetrics } from './judge-outputs-types.ts';
import { argmaxRows, classRows } from './role-rows.ts';
import type { RoleOptions } from './role-spec.ts';

/** Greedy CTC decode of every sequence: argmax per step, repeats collapsed, `blank` dropped. */
export function ctcDecode(out: FlatOutput, options: RoleOptions = {}): number[][] {
  const rows = classRows(out, options.axis ?? -1);
  const best = argmaxRows(rows);
  const blank = options.blank ?? 0;
  const seqs: number[][] = [];
  for (let s = 0; s < rows.sequences; s++) {
    const seq: number[] = [];
    let prev = -2;
    for (let t = 0; t < rows.steps; t++) {
      const c = best[s * rows.steps + t]!;
      if (c !== prev && c !== blank) seq.push(c);
      prev = c;
    }
    seqs.push(seq);
  }
  return seqs;
}

/** Levenshtein distance between two token sequences. */
export function editDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Σ edits / Σ |truth| over the sequences (Σ|truth| at least 1), and the share of exact matches. */
export function sequenceErrors(truth: readonly (readonly number[])[], hyp: readonly (readonly number[])[]): { errorRate: number; exactMatch: number } {
  const n = Math.min(truth.length, hyp.length);
  let edits = 0;
  let len = 0;
  let exact = 0;
  for (let i = 0; i < n; i++) {
    const d = editDistance(truth[i]!, hyp[i]!);
    edits += d;
    len += truth[i]!.length;
    if (d === 0) exact++;
  }
  return { errorRate: n ? edits / Math.max(1, len) : NaN, exactMatch: n ? exact / n : NaN };
}

/**
 * Edit distance that forgives one token added or dropped at each end of a sequence: CTC decoders
 * jitter there (PP-OCRv4 rec: healthy int8 variants gain or lose an edge space on 6 of 16 lines,
 * while every interior token holds).
 */
export function interiorDistance(a: readonly number[], b: readonly number[]): number {
  let best = editDistance(a, b);
  for (const [as, ae, bs, be] of [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [1, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [0, 0, 1, 1],
    [1, 0, 0, 1],
    [0, 1, 1, 0],
  ] as const) {
    if (best === 0) break;
    if (as + ae > a.length || bs + be > b.length) continue;
    best = Math.min(best, editDistance(a.slice(as, a.length - ae), b.slice(bs, b.length - be)));
  }
  return best;
}

/** Share of sequences that differ inside (beyond one token of jitter at each end). */
export function misreadRate(ref: readonly (readonly number[])[], tgt: readonly (readonly number[])[]): number {
  const n = Math.min(ref.length, tgt.length);
  let misread = 0;
  for (let i = 0; i < n; i++) if (interiorDistance(ref[i]!, tgt[i]!) > 0) misread++;
  return n ? misread / n : NaN;
}

const show = (s: readonly number[]) => `[${s.slice(0, 12).join(' ')}${s.length > 12 ? ' …' : ''}]`;

/** Up to 3 sequences that differ, in words. */
function examples(ref: readonly number[][], tgt: readonly number[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ref.length && out.length < 3; i++) {
    if (editDistance(ref[i]!, tgt[i] ?? []) > 0) out.push(`sequence ${i}: reference ${show(ref[i]!)} target ${show(tgt[i] ?? [])}`);
  }
  return out;
}

/** Label sequences (one per sequence) or undefined when the labels are not sequences. */
function labelSequences(labels: unknown, count: number): number[][] | undefined {
  if (!Array.isArray(labels) || labels.length !== count || !labels.every((l) => Array.isArray(l))) return undefined;
  return labels as number[][];
}

/**
 * `ctc` metrics: `cer` (token error rate of the target's decoded sequences against the
 * reference's), `exactMatch` (share of sequences decoded identically), `misreadRate` (share that
 * differ inside, edge jitter forgiven: {@link interiorDistance}), `emptyRate` (share of
 * sequences the target decodes empty where the reference does not); with label sequences,
 * `referenceCer`, `targetCer`, `cerDelta` (target − reference).
 */
export function ctcMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions, labels?: unknown): RoleMetrics {
  const r = ctcDecode(ref, options);
  const t = ctcDecode(tgt, options);
  const { errorRate, exactMatch } = sequenceErrors(r, t);
  let empty = 0;
  for (let i = 0; i < r.length; i++) if (r[i]!.length > 0 && (t[i]?.length ?? 0) === 0) empty++;
  const result: RoleMetrics = {
    role: 'ctc',
    metrics: { cer: errorRate, exactMatch, misreadRate: misreadRate(r, t), emptyRate: r.length ? empty / r.length : NaN, sequences: r.length },
  };
  const truth = labelSequences(labels, r.length);
  if (truth) {
    const rc = sequenceErrors(truth, r).errorRate;
    const tc = sequenceErrors(truth, t).errorRate;
    result.labels = { referenceCer: rc, targetCer: tc, cerDelta: tc - rc };
  }
  const ex = examples(r, t);
  if (ex.length) result.examples = ex;
  return result;
}

/**
 * `tokens` metrics: per position `top1Agreement`, `topkOverlap` (k default 5), `kl` (mean nats),
 * and `sequenceAgreement` (share of sequences whose greedy argmax sequence is identical).
 */
export function tokensMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions): RoleMetrics {
  const r = classRows(ref, options.axis ?? -1);
  const t = classRows(tgt, options.axis ?? -1);
  const d = computeDecisionMetrics({ output: '', reference: r.data, target: t.data, classes: r.classes });
  const ra = argmaxRows(r);
  const ta = argmaxRows(t);
  let same = 0;
  for (let s = 0; s < r.sequences; s++) {
    let ok = true;
    for (let i = s * r.steps; i < (s + 1) * r.steps && ok; i++) ok = ra[i] === ta[i];
    if (ok) same++;
  }
  return {
    role: 'tokens',
    metrics: {
      top1Agreement: d.top1Agreement,
      topkOverlap: d.topkOverlap,
      kl: d.kl,
      sequenceAgreement: r.sequences ? same / r.sequences : NaN,
      positions: r.rows,
    },
  };
}

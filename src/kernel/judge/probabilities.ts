/**
 * Classifier outputs as rows of class probabilities: detects whether an output already holds
 * probabilities or logits, normalizes, and picks predicted classes. Pure: no Node imports.
 */
import type { FloatArray } from './error-scan.ts';

/** Slack for "values in [0, 1]" when detecting probabilities. */
const RANGE_SLACK = 1e-6;
/** A row is a probability vector when its sum is within this of 1 (fp16/int8 outputs drift a little). */
const SUM_SLACK = 1e-2;

/** Rows of class probabilities: `rows` × `classes`, row-major. */
export interface ProbabilityRows {
  probs: Float64Array;
  rows: number;
  classes: number;
  /** What the raw output was judged to be. */
  kind: 'probabilities' | 'logits';
  /** Per row: false when the row has NaN or +Inf (no valid distribution). */
  valid: Uint8Array;
}

/**
 * True when every value is in [0, 1] and, for C >= 2 classes, every row sums to 1 ± 0.01.
 * Anything else is treated as logits. Rows with NaN/Inf are left out of the decision (they are
 * invalid either way). A logit matrix passing this test by chance would need every row in [0, 1]
 * summing to ~1; on real classifiers that does not happen.
 */
export function looksLikeProbabilities(data: FloatArray, classes: number): boolean {
  const rows = Math.floor(data.length / classes);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    let inRange = true;
    for (let c = 0; c < classes; c++) {
      const v = data[r * classes + c]!;
      sum += v;
      if (!(v >= -RANGE_SLACK && v <= 1 + RANGE_SLACK)) inRange = false;
    }
    if (!Number.isFinite(sum)) continue;
    if (!inRange || (classes >= 2 && Math.abs(sum - 1) > SUM_SLACK)) return false;
  }
  return true;
}

/**
 * Rows of probabilities from a raw classifier output with `classes` values per row.
 * - Probabilities (see {@link looksLikeProbabilities}) are renormalized to sum exactly to 1.
 * - Logits go through a numerically stable softmax.
 * - A single column (C = 1) is a binary classifier: a probability p becomes [1-p, p], a logit x
 *   becomes softmax([0, x]) = [1-σ(x), σ(x)]. So `classes` is 2 in the result.
 */
export function toProbabilityRows(data: FloatArray, classes: number): ProbabilityRows {
  const rows = classes > 0 ? Math.floor(data.length / classes) : 0;
  const kind = looksLikeProbabilities(data, classes) ? 'probabilities' : 'logits';
  const binary = classes === 1;
  const width = binary ? 2 : classes;
  const probs = new Float64Array(rows * width);
  const valid = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    if (binary) {
      const v = data[r]!;
      if (kind === 'probabilities') {
        probs[o] = 1 - v;
        probs[o + 1] = v;
      } else {
        const p = 1 / (1 + Math.exp(-v));
        probs[o] = 1 - p;
        probs[o + 1] = p;
      }
    } else if (kind === 'probabilities') {
      let sum = 0;
      for (let c = 0; c < width; c++) sum += data[r * classes + c]!;
      // NaN/Inf stays NaN (an invalid row); an all-zero row becomes uniform.
      for (let c = 0; c < width; c++) {
        probs[o + c] = !Number.isFinite(sum) ? NaN : sum > 0 ? Math.max(0, data[r * classes + c]!) / sum : 1 / width;
      }
    } else {
      let max = -Infinity;
      for (let c = 0; c < width; c++) max = Math.max(max, data[r * classes + c]!);
      let sum = 0;
      for (let c = 0; c < width; c++) sum += probs[o + c] = Math.exp(data[r * classes + c]! - max);
      for (let c = 0; c < width; c++) probs[o + c] = probs[o + c]! / sum;
    }
    let ok = 1;
    for (let c = 0; c < width; c++) if (!Number.isFinite(probs[o + c]!)) ok = 0;
    valid[r] = ok;
  }
  return { probs, rows, classes: width, kind, valid };
}

/** Index of the largest value of row `r` (lowest index on ties); -1 for an invalid row. */
export function argmaxRow(p: ProbabilityRows, r: number): number {
  if (!p.valid[r]) return -1;
  const o = r * p.classes;
  let best = 0;
  for (let c = 1; c < p.classes; c++) if (p.probs[o + c]! > p.probs[o + best]!) best = c;
  return best;
}

/** Indices of the k largest values of row `r`, largest first (lower index first on ties). */
export function topkRow(p: ProbabilityRows, r: number, k: number): number[] {
  const o = r * p.classes;
  const top: number[] = [];
  for (let c = 0; c < p.classes; c++) {
    const v = p.probs[o + c]!;
    let pos = top.length;
    while (pos > 0 && p.probs[o + top[pos - 1]!]! < v) pos--;
    if (pos < k) {
      top.splice(pos, 0, c);
      if (top.length > k) top.pop();
    }
  }
  return top;
}

/** Predicted class per row (argmax; for a single-column output, p > 0.5 or logit > 0 → 1). -1 for invalid rows. */
export function predictedClasses(data: FloatArray, classes: number): Int32Array {
  const p = toProbabilityRows(data, classes);
  const out = new Int32Array(p.rows);
  for (let r = 0; r < p.rows; r++) out[r] = argmaxRow(p, r);
  return out;
}

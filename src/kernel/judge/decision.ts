/**
 * Decision-level agreement of a classifier output with the reference: do the two pick the same
 * class, the same top-k, with similar confidence? Pure: no Node imports.
 */
import type { FloatArray } from './error-scan.ts';
import { argmaxRow, toProbabilityRows, topkRow } from './probabilities.ts';
import type { DecisionMetrics } from './types.ts';

/** Largest k for top-k overlap (k = min(5, classes)). */
export const TOPK_MAX = 5;
/** Probabilities below this are clamped in KL so an exact 0 in the target does not give Infinity. */
export const KL_EPSILON = 1e-12;

export interface DecisionInput {
  /** Output name, recorded in the metrics. */
  output: string;
  reference: FloatArray;
  target: FloatArray;
  /** Values per row (the last dimension); 1 for a single-column binary classifier. */
  classes: number;
}

/**
 * Decision metrics over rows of `classes` values ([N, C], or samples of [1, C] concatenated).
 * Each side is detected as probabilities or logits on its own and normalized
 * (see `toProbabilityRows`: softmax for logits, renormalization for probabilities, [1-p, p] for
 * one column).
 * - top1Agreement: fraction of rows where the argmax matches (lowest index wins ties).
 * - topkOverlap: mean |topk(ref) ∩ topk(target)| / k, k = min(5, classes).
 * - flipRate: 1 - top1Agreement.
 * - kl: mean over rows of KL(ref || target) = Σ p·ln(p / max(q, 1e-12)), in nats.
 * A row where either side has NaN/+Inf counts as a disagreement with overlap 0 and KL = Infinity,
 * so the mean KL is Infinity (the target also fails with OUTPUT_NONFINITE).
 * With zero rows the agreement metrics are NaN.
 */
export function computeDecisionMetrics(input: DecisionInput): DecisionMetrics {
  const ref = toProbabilityRows(input.reference, input.classes);
  const tgt = toProbabilityRows(input.target, input.classes);
  const rows = Math.min(ref.rows, tgt.rows);
  const classes = ref.classes;
  const k = Math.min(TOPK_MAX, classes);
  let agree = 0;
  let overlap = 0;
  let kl = 0;
  for (let r = 0; r < rows; r++) {
    if (!ref.valid[r] || !tgt.valid[r]) {
      kl = Infinity;
      continue;
    }
    if (argmaxRow(ref, r) === argmaxRow(tgt, r)) agree++;
    const topRef = topkRow(ref, r, k);
    const topTgt = new Set(topkRow(tgt, r, k));
    let common = 0;
    for (const c of topRef) if (topTgt.has(c)) common++;
    overlap += common / k;
    kl += rowKl(ref.probs, tgt.probs, r * classes, classes);
  }
  const top1 = rows > 0 ? agree / rows : NaN;
  return {
    output: input.output,
    samples: rows,
    top1Agreement: top1,
    topkOverlap: rows > 0 ? overlap / rows : NaN,
    k,
    flipRate: 1 - top1,
    kl: rows > 0 ? kl / rows : NaN,
  };
}

/** KL(p || q) of one row in nats, terms with p = 0 dropped, q clamped at {@link KL_EPSILON}, never negative. */
function rowKl(p: Float64Array, q: Float64Array, offset: number, classes: number): number {
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const pc = p[offset + c]!;
    if (pc > 0) sum += pc * (Math.log(pc) - Math.log(Math.max(q[offset + c]!, KL_EPSILON)));
  }
  return Math.max(0, sum);
}

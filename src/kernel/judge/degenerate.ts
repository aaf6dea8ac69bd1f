/**
 * Degenerate comparisons: a reference output that cannot tell a good target from a bad one on
 * these inputs, because it is near-zero, near-constant, identical for every sample, or (for a
 * classifier) predicts the same class for every sample. Any tolerance then "passes" without
 * having compared anything, so the target gets a warning naming the output and the reason.
 * Thresholds are data ({@link DEGENERACY}). Pure: no Node imports.
 */
import type { FloatArray } from './error-scan.ts';
import type { FlatOutput } from './float-data.ts';
import { predictedClasses } from './probabilities.ts';

/** When a reference output is degenerate. */
export const DEGENERACY = {
  /**
   * RMS at or below this is near-zero: 60× under float16's smallest normal (6.1e-5) and 10× under
   * the fp32 atol, where cosine and SQNR compare rounding noise with rounding noise (the issue's
   * detector on synthesized inputs: ~1e-7 everywhere).
   */
  nearZeroRms: 1e-6,
  /** std / RMS at or below this is near-constant: every element is the same value to 4 digits. */
  nearConstantRatio: 1e-4,
  /** RMS over elements of the across-sample std, relative to the output's RMS, at or below this: the inputs do not change the output. */
  sampleInvariantRatio: 1e-4,
  /** Fewest classifier rows for "every sample predicts the same class" to mean something. */
  sameArgmaxMinRows: 5,
} as const;

/** Advice appended to every degenerate-comparison warning. */
export const REAL_DATA_ADVICE = 'feed real inputs (--data FILE) so the comparison exercises the model';

export interface ReferenceStats {
  elements: number;
  rms: number;
  mean: number;
  std: number;
  /** RMS of the per-element std across samples (NaN with fewer than 2 samples or unequal sample sizes). */
  acrossSampleStd: number;
  samples: number;
}

const statsCache = new WeakMap<FloatArray, ReferenceStats>();

/** Scale statistics of one reference output over its finite elements. Cached per data array. */
export function referenceStats(ref: FlatOutput): ReferenceStats {
  const cached = statsCache.get(ref.data);
  if (cached) return cached;
  const d = ref.data;
  let n = 0,
    sum = 0,
    sumSq = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
  }
  const mean = n ? sum / n : 0;
  const rms = n ? Math.sqrt(sumSq / n) : 0;
  const std = n ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 0;
  const stats: ReferenceStats = { elements: d.length, rms, mean, std, acrossSampleStd: acrossSamples(ref), samples: ref.sampleDims.length };
  statsCache.set(ref.data, stats);
  return stats;
}

/** RMS over element positions of the std of that position across samples. */
function acrossSamples(ref: FlatOutput): number {
  const s = ref.sampleDims.length;
  if (s < 2 || ref.data.length % s !== 0) return NaN;
  const per = ref.data.length / s;
  if (ref.sampleDims.some((dims) => dims.reduce((a, b) => a * b, 1) !== per)) return NaN;
  let total = 0,
    counted = 0;
  for (let j = 0; j < per; j++) {
    let sum = 0,
      sq = 0,
      k = 0;
    for (let i = 0; i < s; i++) {
      const v = ref.data[i * per + j]!;
      if (!Number.isFinite(v)) continue;
      sum += v;
      sq += v * v;
      k++;
    }
    if (k < 2) continue;
    const m = sum / k;
    total += Math.max(0, sq / k - m * m);
    counted++;
  }
  return counted ? Math.sqrt(total / counted) : NaN;
}

/** Significant digits for warning text. */
const g = (x: number) => (Number.isFinite(x) ? x.toPrecision(2) : String(x));

/**
 * Warnings for one reference output (empty when it is fine). `classes` > 1 marks a classifier
 * output with that many values per row (enables the same-argmax check).
 */
export function degenerateWarnings(name: string, ref: FlatOutput, classes?: number): string[] {
  const st = referenceStats(ref);
  if (st.elements === 0) return [];
  const on = `on these ${st.samples} input sample${st.samples === 1 ? '' : 's'}`;
  if (st.rms <= DEGENERACY.nearZeroRms) {
    return [
      `output '${name}': the reference is near-zero ${on} (RMS ${g(st.rms)} over ${st.elements} elements): cosine and SQNR of near-zero vectors are meaningless and any tolerance passes; ${REAL_DATA_ADVICE}`,
    ];
  }
  const out: string[] = [];
  if (st.std <= DEGENERACY.nearConstantRatio * st.rms) {
    out.push(
      `output '${name}': the reference is near-constant ${on} (every element ≈ ${g(st.mean)}, std ${g(st.std)}): the comparison cannot tell a working model from a constant; ${REAL_DATA_ADVICE}`,
    );
  } else if (st.acrossSampleStd <= DEGENERACY.sampleInvariantRatio * st.rms) {
    out.push(
      `output '${name}': the reference output is the same for all ${st.samples} samples (across-sample std ${g(st.acrossSampleStd)} vs RMS ${g(st.rms)}): the inputs do not change the output; ${REAL_DATA_ADVICE}`,
    );
  }
  if (classes !== undefined && classes > 1 && out.length === 0) {
    const pred = predictedClasses(ref.data, classes);
    if (pred.length >= DEGENERACY.sameArgmaxMinRows && pred.every((p) => p === pred[0])) {
      out.push(
        `output '${name}': every one of the ${pred.length} samples gives the same class (${pred[0]}) on the reference: decision metrics (top-1 agreement, flips) compare nothing; ${REAL_DATA_ADVICE}`,
      );
    }
  }
  return out;
}
